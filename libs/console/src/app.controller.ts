import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Controller, Get, Header, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RegionCatalog } from '@cur/config';
import { CONSOLE_VIEWS } from '@cur/domain';
import { DomainException, ErrorCode, Public } from '@cur/platform';

/**
 * The console (apps/console), built by Vite into `app/` next to this file's compiled code
 * (`npm run build`). Run from the sources (the test runner), the same place under dist/ is read.
 */
const BUILD = [join(__dirname, 'app'), resolve(__dirname, '../../../dist/libs/console/src/app')].find((dir) => existsSync(join(dir, 'index.html')));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
}

/** The console's files, read and compressed once at start: they change only with a new build. */
function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!BUILD) return assets;
  for (const file of readdirSync(join(BUILD, 'assets'))) {
    const type = TYPES[file.slice(file.lastIndexOf('.'))];
    if (!type) continue;
    const body = readFileSync(join(BUILD, 'assets', file));
    assets.set(file, { type, body, gzipped: gzipSync(body, { level: 9 }) });
  }
  return assets;
}

/** The addresses of the views (`/queue`, `/reports`, …): listed, so no other top-level route is shadowed. */
const VIEW_PATHS = Object.keys(CONSOLE_VIEWS);

/** The console at `/`: its page at `/` and at every view's address, its hashed files at `/assets/<file>`. */
@Controller()
export class AppController {
  private readonly page: string | null;
  private readonly assets = loadAssets();

  /** The page names the region in its title, so a tab says whose console it is before anyone signs in. */
  constructor(region: RegionCatalog) {
    const name = region.data.name.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    this.page = BUILD ? readFileSync(join(BUILD, 'index.html'), 'utf8').replace(/<title>([^<]*)<\/title>/, `<title>$1 · ${name}</title>`) : null;
  }

  /** The hashed files of the build: cached for a year, as a new build gives them new names. */
  @Get('assets/:file')
  @Public()
  asset(@Param('file') file: string, @Req() request: Request, @Res() response: Response): void {
    const asset = this.assets.get(file);
    if (!asset) throw new DomainException(ErrorCode.NotFound, 'Нет такого файла');
    response.setHeader('Content-Type', asset.type);
    response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Vary', 'Accept-Encoding');
    const gzip = /\bgzip\b/.test(request.header('accept-encoding') ?? '');
    if (gzip) response.setHeader('Content-Encoding', 'gzip');
    response.end(gzip ? asset.gzipped : asset.body);
  }

  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  index(): string {
    if (!this.page) throw new DomainException(ErrorCode.NotReady, 'Консоль не собрана: выполните npm run build');
    return this.page;
  }

  /** An engagement's public result page: the same single page, which shows it without signing in. */
  @Get('results/:id')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  publicResult(): string {
    return this.index();
  }

  /** A view's address (/queue?…, a shared link, a reload): the same single page, which reads the address. */
  @Get(VIEW_PATHS)
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  view(): string {
    return this.index();
  }
}
