#!/usr/bin/env node
// `npm start [-- FILE]`: the desktop app when Electron's binary is installed (or can be installed
// now); otherwise one line saying so, then the browser host (`wireview serve`), which prints its URL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);

const built = ['dist/electron/main/main.js', 'dist/electron/preload/preload.cjs', 'dist/electron/cli/main.js', 'dist-renderer/index.html'];
if (!built.every((f) => existsSync(root + f))) {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

/**
 * The Electron binary's path, or undefined when the package is there without it. Read from the
 * package's path.txt rather than `require('electron')`, which would try a download on the spot.
 */
function electronBinary() {
  const pkg = `${root}node_modules/electron/`;
  const name = existsSync(`${pkg}path.txt`) ? readFileSync(`${pkg}path.txt`, 'utf8').trim() : undefined;
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? `${pkg}dist`;
  const path = name ? join(dist, name) : undefined;
  return path && existsSync(path) ? path : undefined;
}

let electron = electronBinary();
if (!electron && existsSync(`${root}node_modules/electron/install.js`)) {
  // npm install skips Electron's download (package.json allowScripts); try it once now.
  spawnSync(process.execPath, ['node_modules/electron/install.js'], { cwd: root, stdio: 'ignore', timeout: 180_000 });
  electron = electronBinary();
}

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE; // would start the binary as plain Node
const child = electron
  ? spawn(electron, ['.', ...args], { cwd: root, stdio: 'inherit', env })
  : (console.log("npm start: Electron's binary is not installed (it cannot be downloaded here); starting the browser host instead."),
    spawn(process.execPath, ['bin/wireview.js', 'serve', ...args], { cwd: root, stdio: 'inherit', env }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
