import rule from '../../server/src/rules/data-file-copied';
import { ruleTester, lines } from '../helpers/rule-tester';
import { fakeContext } from '../helpers/context';

const MB = 1_000_000;
const ctx = fakeContext({
  'models/classifier.onnx': 200 * MB,
  'data/train.csv': 30 * MB,
  'fixtures/seed.csv': 300,
  'assets/video.mp4': 80 * MB,
  'app/main.py': 3000,
  'dist.tar.gz': 60 * MB,
});

ruleTester.run(rule, {
  valid: [
    lines('FROM python:3.12-slim', 'COPY app/ /app/'),
    { name: 'a tiny seed file is fine', code: lines('FROM python:3.12-slim', 'COPY fixtures/seed.csv /app/'), context: ctx },
    { name: 'build-only stages do not reach the image', code: lines('FROM python:3.12 AS train', 'COPY data/train.csv /d/', 'FROM python:3.12-slim', 'COPY app/ /app/') },
    { name: 'COPY --from is not the context', code: lines('FROM x AS b', 'FROM python:3.12-slim', 'COPY --from=b /models/x.onnx /m/') },
    { name: 'URLs are add-remote-url business', code: lines('FROM python:3.12-slim', 'ADD https://example.org/x.csv /d/') },
    { name: 'below the threshold', code: lines('FROM python:3.12-slim', 'COPY assets/ /assets/'), context: ctx, options: { largeFileThresholdMB: 100 } },
  ],
  invalid: [
    {
      code: lines('FROM python:3.12-slim', 'COPY models/classifier.onnx /app/models/'),
      findings: [{ messageId: 'dataKind', line: 2, column: 6, endLine: 2, endColumn: 28, messageIncludes: ['a models/ folder'] }],
      output: null,
    },
    {
      name: 'measured size in the message',
      code: lines('FROM python:3.12-slim', 'COPY data/train.csv /app/'),
      context: ctx,
      findings: [{ messageId: 'dataKind', line: 2, column: 6, endLine: 2, endColumn: 20, messageIncludes: ['(30 MB)', 'volume'] }],
      output: null,
    },
    {
      name: 'any source past the threshold',
      code: lines('FROM python:3.12-slim', 'COPY assets/ dist.tar.gz /srv/'),
      context: ctx,
      findings: [
        { messageId: 'large', line: 2, column: 6, endLine: 2, endColumn: 13, messageIncludes: ['80 MB'] },
        { messageId: 'large', line: 2, column: 14, endLine: 2, endColumn: 25, messageIncludes: ['60 MB', 'as an archive'] },
      ],
      output: null,
    },
    {
      name: 'COPY . lists the data it brings',
      code: lines('FROM python:3.12-slim', 'COPY . /app'),
      context: ctx,
      findings: [{ messageId: 'contextData', line: 2, column: 6, endLine: 2, endColumn: 7, messageIncludes: ['models/classifier.onnx 200 MB', 'assets/video.mp4 80 MB'] }],
      output: null,
    },
    {
      name: 'the final stage is chosen by target',
      code: lines('FROM python:3.12-slim AS app', 'COPY data/ /data/', 'FROM python:3.12-slim AS other', 'COPY app/ /app/'),
      target: 'app',
      findings: [{ messageId: 'dataKind', line: 2, column: 6, endLine: 2, endColumn: 11 }],
      output: null,
    },
  ],
});
