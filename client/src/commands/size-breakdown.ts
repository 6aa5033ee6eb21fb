// Shows the size estimate's parts (from the CodeLens) in a quick pick, biggest first; picking a
// part moves the cursor to its instruction.
import * as vscode from 'vscode';
import type { SizePart } from '../../../server/src/lsp/protocol';

interface PartItem extends vscode.QuickPickItem {
  line: number;
}

function isPart(p: unknown): p is SizePart {
  const o = p as Partial<SizePart> | null;
  return typeof o === 'object' && o !== null && typeof o.size === 'string' && typeof o.label === 'string' && typeof o.line === 'number';
}

export async function showSizeBreakdown(uri: unknown, parts: unknown): Promise<void> {
  const list = Array.isArray(parts) ? parts.filter(isPart) : [];
  if (list.length === 0) {
    void vscode.window.showInformationMessage('Slimfile: no size estimate for this file.');
    return;
  }
  const items: PartItem[] = list.map((p) => ({
    label: p.label,
    description: `${p.size} · line ${p.line + 1}`,
    detail: p.note,
    line: p.line,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Slimfile: estimated image size, biggest parts first',
    placeHolder: 'Pick a part to go to its instruction',
    matchOnDescription: true,
  });
  if (!picked || typeof uri !== 'string') return;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const at = new vscode.Position(picked.line, 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at) });
}
