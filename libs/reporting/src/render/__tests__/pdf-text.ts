/**
 * What a PDF reader sees in a PDF: each page's size, text and count of vector paths, read by
 * Mozilla's PDF.js (pdfjs-dist, legacy build for Node). PDF.js is an ES module that loads a worker
 * module, which jest's CommonJS sandbox cannot import, so it runs in a child Node process.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export interface PdfPage {
  width: number;
  height: number;
  /** The page's text runs, each on its own line. */
  text: string;
  /** Path-drawing operations on the page (table lines, chart bars and slices, …). */
  paths: number;
  /** The fill colours the page sets ('#rrggbb'): a chart's bars and slices bring their own. */
  fills: string[];
}

const REPO_ROOT = resolve(__dirname, '../../../../..');

const READER = `
import { readFileSync } from 'node:fs';
const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(process.argv[1])), isEvalSupported: false }).promise;
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const { width, height } = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const ops = await page.getOperatorList();
  const fills = new Set();
  ops.fnArray.forEach((fn, i) => {
    if (fn === pdfjs.OPS.setFillRGBColor) fills.add(String(ops.argsArray[i][0]).toLowerCase());
  });
  pages.push({
    width,
    height,
    text: content.items.map((item) => item.str).join('\\n'),
    paths: ops.fnArray.filter((fn) => fn === pdfjs.OPS.constructPath).length,
    fills: [...fills],
  });
}
await doc.destroy();
process.stdout.write(JSON.stringify(pages));
`;

export async function readPdf(pdf: Buffer): Promise<PdfPage[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cur-pdf-'));
  try {
    const file = join(dir, 'report.pdf');
    await writeFile(file, pdf);
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', READER, file], {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout) as PdfPage[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
