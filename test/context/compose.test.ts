import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildContextFor, readComposeBuilds } from '../../server/src/context/compose';

describe('compose build entries', () => {
  it('reads short, long and flow forms', () => {
    const yml = [
      'version: "3.9"',
      'services:',
      '  web:',
      '    build: ./web   # the site',
      '    ports: ["80:80"]',
      '  api:',
      '    image: api',
      '    build:',
      '      context: "./services/api"',
      '      dockerfile: docker/Dockerfile.prod',
      '      args:',
      '        - X=1',
      '  worker:',
      "    build: { context: ., dockerfile: 'worker.Dockerfile' }",
      '  db:',
      '    image: postgres:16',
      'volumes:',
      '  build:',
      '    driver: local',
    ].join('\n');
    assert.deepEqual(readComposeBuilds(yml), [
      { service: 'web', context: './web', dockerfile: 'Dockerfile' },
      { service: 'api', context: './services/api', dockerfile: 'docker/Dockerfile.prod' },
      { service: 'worker', context: '.', dockerfile: 'worker.Dockerfile' },
    ]);
  });
  it('survives nonsense', () => {
    assert.deepEqual(readComposeBuilds('\u0000::\n  - : :\n{'), []);
  });
});

describe('choosing the build context', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-compose-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, '.git'));
  fs.mkdirSync(path.join(root, 'services', 'api', 'docker'), { recursive: true });
  fs.writeFileSync(path.join(root, 'services', 'api', 'docker', 'Dockerfile.prod'), 'FROM alpine\n');
  fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM alpine\n');
  fs.writeFileSync(path.join(root, 'compose.yaml'), 'services:\n  api:\n    build:\n      context: services/api\n      dockerfile: docker/Dockerfile.prod\n');

  it('takes the context from a compose file above the Dockerfile', () => {
    const c = buildContextFor(path.join(root, 'services', 'api', 'docker', 'Dockerfile.prod'));
    assert.deepEqual(c, { root: path.join(root, 'services', 'api'), source: 'compose', compose: { file: path.join(root, 'compose.yaml'), service: 'api' } });
  });
  it('falls back to the Dockerfile folder', () => {
    assert.deepEqual(buildContextFor(path.join(root, 'Dockerfile')), { root, source: 'dockerfile-folder' });
  });
  it('lets the setting win, relative to the workspace', () => {
    assert.deepEqual(buildContextFor(path.join(root, 'Dockerfile'), root, 'services'), { root: path.join(root, 'services'), source: 'setting' });
  });
});
