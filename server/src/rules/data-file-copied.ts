// Flags COPY/ADD of data into the image: data and model files by kind (csv, parquet, onnx, ...),
// folders such as data/ or models/, and any source whose measured size passes the threshold. Data
// belongs in a volume mounted at run time or a download at start-up; baked in, every change to it
// rebuilds and re-pulls the image. Only stages that end up in the image are checked.
import { defineRule, type Finding } from './define';
import { formatSize } from './format';
import kinds from '../data/data-files.json';

const EXTENSIONS = new Set(kinds.extensions);
const ARCHIVES = new Set(kinds.archiveExtensions);
const FOLDERS = new Set(kinds.folders);
const MB = 1_000_000;

function extensionOf(p: string): string {
  const base = p.slice(p.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1);
}

export default defineRule({
  meta: {
    id: 'data-file-copied',
    description: 'Data or model files copied into the image',
    defaultSeverity: 'warning',
    fixable: false,
    messages: {
      dataKind: '{source} is data ({what}) baked into the image{size}. Mount it as a volume at run time or download it at start-up instead.',
      large: '{source} adds {size} to the image{what}. Mount large data as a volume at run time or download it at start-up instead.',
      contextData: '{source} brings data into the image: {list}. Mount it as a volume at run time or download it at start-up, or add it to .dockerignore.',
    },
    options: { largeFileThresholdMB: 50 },
  },
  check({ model, options, target, context }) {
    const threshold = (typeof options.largeFileThresholdMB === 'number' ? options.largeFileThresholdMB : 50) * MB;
    const inImage = model.imageStages(target);
    const findings: Finding[] = [];
    for (const c of model.copies()) {
      if (c.from !== undefined || c.heredoc || !c.instruction.stage || !inImage.has(c.instruction.stage)) continue;
      for (const s of c.sources) {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s.value) || s.value.includes('$')) continue;
        const clean = s.value.replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
        const measured = context?.measure(s.value);
        const sizeText = measured ? ` (${measured.atLeast ? 'at least ' : ''}${formatSize(measured.bytes)})` : '';
        if (clean === '' || clean === '.') {
          if (!context) continue;
          const data = context.filesOf(s.value).filter((f) => f.bytes >= threshold || EXTENSIONS.has(extensionOf(f.path)));
          if (data.length === 0) continue;
          const list = data.slice(0, 3).map((f) => `${f.path} ${formatSize(f.bytes)}`).join(', ') + (data.length > 3 ? ` and ${data.length - 3} more` : '');
          findings.push({ span: s.span, messageId: 'contextData', data: { source: `${c.instruction.keyword} ${s.value}`, list } });
          continue;
        }
        const ext = extensionOf(clean);
        const folder = clean.split('/').find((seg) => FOLDERS.has(seg.toLowerCase()));
        const big = measured !== undefined && measured.bytes >= threshold;
        if (EXTENSIONS.has(ext) || folder !== undefined) {
          if (measured && measured.bytes < 1000 && !big) continue; // a tiny fixture or seed file is fine
          findings.push({ span: s.span, messageId: 'dataKind', data: { source: s.value, what: folder ? `a ${folder}/ folder` : `.${ext} file`, size: sizeText } });
        } else if (big) {
          findings.push({ span: s.span, messageId: 'large', data: { source: s.value, size: (measured.atLeast ? 'at least ' : '') + formatSize(measured.bytes), what: ARCHIVES.has(ext) ? ' as an archive' : '' } });
        }
      }
    }
    return findings;
  },
});
