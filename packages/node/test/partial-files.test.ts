import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../src/index.js';

// A download killed with SIGKILL runs no cleanup: its hidden partial file stays. The next download of the same
// target removes the partials of dead processes of this machine, and only those.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redivis-partials-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const host = createHash('sha256').update(hostname()).digest('hex').slice(0, 6);

/** The pid of a process that has exited (a real one, not a guess). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

describe('partial download files', () => {
  it('are named for this machine and process while written, and renamed into place', async () => {
    const fs = nodeFileSystem();
    const target = join(dir, 'named.bin');
    const partial = await fs.openPartial(target);
    await partial.write(new Uint8Array([1, 2, 3]));
    const [name] = await readdir(dir);
    expect(name).toMatch(new RegExp(`^\\.named\\.bin\\.${host}-${process.pid}-[0-9a-f]{8}\\.part$`));
    await partial.commit();
    expect(await readdir(dir)).toEqual(['named.bin']);
  });

  it("a killed process's partial is removed by the next download of the target; nothing else is", async () => {
    const sub = await mkdtemp(join(dir, 'orphans-'));
    const target = join(sub, 'data.bin');
    const dead = await deadPid();
    const otherHost = host === 'aaaaaa' ? 'bbbbbb' : 'aaaaaa';
    const orphan = `.data.bin.${host}-${dead}-0123abcd.part`;
    const kept = [
      `.data.bin.${otherHost}-${dead}-0123abcd.part`, // another machine's, in a shared folder
      `.data.bin.${host}-1-0123abcd.part`, // a process that runs (pid 1 always does)
      `.other.bin.${host}-${dead}-0123abcd.part`, // another target's
      `.data.bin.0123abcd.part`, // the old naming, which says nothing about its writer
      'data.bin.part', // not ours at all
    ];
    for (const name of [orphan, ...kept]) await writeFile(join(sub, name), 'stale');
    const fs = nodeFileSystem();
    // A download of the same target still running in this process keeps its partial too.
    const concurrent = await fs.openPartial(target);
    const concurrentName = (await readdir(sub)).find((n) => n.includes(`-${process.pid}-`)) as string;

    const partial = await fs.openPartial(target);
    await partial.write(new TextEncoder().encode('fresh'));
    await partial.commit();
    const left = await readdir(sub);
    expect(left).not.toContain(orphan);
    expect(left.sort()).toEqual([...kept, concurrentName, 'data.bin'].sort());
    expect(await readFile(target, 'utf8')).toBe('fresh');
    await concurrent.discard();
    expect(await readdir(sub)).not.toContain(concurrentName);
  });
});
