// The built site as a reader meets it, in headless Chromium: the landing page and every guide render with visible
// content (screenshots under apps/docs/.artifacts/site, gitignored), every public class has a page, search finds
// a method by name, and no internal link points at a missing file.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { launchChromium, serveDirectory } from '@redivis-ts/test-utils';
import type { Browser, Page } from 'playwright-core';
import { Application, PageEvent, type ProjectReflection, type Reflection, ReflectionKind } from 'typedoc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseOptions, DOCS_DIR } from '../typedoc.base.mjs';

const OUT = join(DOCS_DIR, '.artifacts', 'site-build');
const SHOTS = join(DOCS_DIR, '.artifacts', 'site');
let project: ProjectReflection;
let app: Application;
let server: { url: string; close: () => Promise<void> };
let browser: Browser;
let page: Page;
// Page URL of every rendered reflection, recorded while TypeDoc writes the site.
const urls = new Map<Reflection, string>();
const urlOf = (r: Reflection | undefined) => (r && urls.get(r)) ?? '';

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  app = await Application.bootstrapWithPlugins({ ...baseOptions(), out: OUT, logLevel: 'Error' });
  const converted = await app.convert();
  if (!converted) throw new Error('TypeDoc could not convert the packages');
  project = converted;
  app.renderer.on(PageEvent.END, (event) => {
    urls.set(event.model as Reflection, event.url);
  });
  await app.generateDocs(project, OUT);
  server = await serveDirectory(OUT);
  // One browser and one page for the whole file (CI has two cores).
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Every .html file of the built site, relative to its root. */
function htmlFiles(dir = OUT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return htmlFiles(full);
    return e.name.endsWith('.html') ? [relative(OUT, full)] : [];
  });
}

/** Load a page and return its main content's visible text, with a screenshot kept as an artifact. */
async function visit(path: string, shot: string): Promise<string> {
  const response = await page.goto(`${server.url}/${path}`);
  expect(response?.status(), path).toBe(200);
  const main = page.locator('.col-content');
  await main.waitFor({ state: 'visible' });
  await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: false });
  return main.innerText();
}

describe('the docs site in Chromium', () => {
  it('the landing page is written for users and shows its first read', async () => {
    const text = await visit('index.html', 'landing');
    expect(text).toContain('The Redivis client for TypeScript and JavaScript');
    expect(text).toContain('A first read in five lines');
    expect(await page.locator('.col-content pre code').first().isVisible()).toBe(true);
  });

  it('every guide renders with its title and code visible', async () => {
    const documents = project.getReflectionsByKind(ReflectionKind.Document);
    const guides = readdirSync(join(DOCS_DIR, 'guides')).filter((f) => f.endsWith('.md'));
    expect(documents.length).toBe(guides.length + 1); // + the generated Python method table
    for (const doc of documents) {
      const url = urlOf(doc);
      expect(url, doc.name).toMatch(/\.html$/);
      const text = await visit(url, `guide-${doc.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
      expect(text.length, doc.name).toBeGreaterThan(400);
      expect(await page.locator('.col-content h1').first().isVisible(), doc.name).toBe(true);
    }
  }, 180_000);

  it('every public class has a page naming it', async () => {
    const classes = project.getReflectionsByKind(ReflectionKind.Class);
    expect(classes.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Dataset', 'Table', 'Query', 'Upload', 'RedivisError', 'NotFoundError']),
    );
    for (const cls of classes) {
      const url = urlOf(cls);
      const file = join(OUT, url);
      expect(existsSync(file), `${cls.getFullName()} → ${url}`).toBe(true);
      expect(readFileSync(file, 'utf8'), cls.getFullName()).toContain(`<h1>Class ${cls.name}`);
    }
    // One rendered in the browser, with its methods listed.
    const table = classes.find((c) => c.name === 'Table' && c.parent?.name === '@redivis-ts/resources');
    const text = await visit(urlOf(table), 'class-table');
    expect(text).toContain('toArrowTable');
  }, 120_000);

  it('search finds a method by name', async () => {
    await page.goto(`${server.url}/index.html`);
    await page.locator('#tsd-search-trigger, #tsd-search input, [aria-label="Search"]').first().click();
    const input = page.locator('#tsd-search-input, #tsd-search input').first();
    await input.fill('toArrowTable');
    const results = page.locator('#tsd-search-results li, .results li');
    await results.first().waitFor({ state: 'visible' });
    const texts = await results.allInnerTexts();
    expect(texts.some((t) => t.includes('toArrowTable'))).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'search.png') });
  });

  it('has no internal link to a missing file', () => {
    const broken: string[] = [];
    const files = htmlFiles();
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const html = readFileSync(join(OUT, file), 'utf8');
      for (const [, href] of html.matchAll(/href="([^"]+)"/g)) {
        if (!href || /^(?:[a-z]+:|#|\/\/)/i.test(href)) continue;
        const target = resolve(dirname(join(OUT, file)), decodeURI(href.split(/[?#]/)[0] as string));
        if (!existsSync(target)) broken.push(`${file} → ${href}`);
      }
    }
    expect(broken, broken.slice(0, 20).join('\n')).toEqual([]);
  });
});
