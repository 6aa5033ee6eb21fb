// Shows the size estimate's parts (from the CodeLens) in a quick pick, biggest first.
import * as vscode from 'vscode';

export async function showSizeBreakdown(_uri: unknown, lines: unknown): Promise<void> {
  const items = Array.isArray(lines) ? lines.filter((l): l is string => typeof l === 'string') : [];
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Slimfile: no size estimate for this file.');
    return;
  }
  await vscode.window.showQuickPick(items, { title: 'Slimfile: estimated image size, biggest parts first', canPickMany: false });
}
