import rule from '../../server/src/rules/apk-no-cache';
import { ruleTester, lines } from '../helpers/rule-tester';

ruleTester.run(rule, {
  valid: [
    lines('FROM alpine:3.20', 'RUN apk add --no-cache curl'),
    lines('FROM alpine:3.20', 'RUN apk --no-cache add curl'),
    lines('FROM alpine:3.20', 'RUN --mount=type=cache,target=/var/cache/apk apk add curl'),
    lines('FROM alpine:3.20', 'RUN apk add curl && rm -rf /var/cache/apk/*'),
    lines('FROM alpine:3.20', 'RUN echo "apk add curl"'),
    lines('FROM alpine:3.20', 'RUN apk-tools add curl'),
    lines('FROM alpine:3.20', '# RUN apk add curl'),
    lines('FROM alpine:3.20', 'RUN apk update'),
  ],
  invalid: [
    {
      code: lines('FROM alpine:3.20', 'RUN apk add curl'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 17, messageIncludes: ['2.5 MB', '--no-cache'] }],
      output: lines('FROM alpine:3.20', 'RUN apk add --no-cache curl'),
      fixes: [
        { title: 'Add --no-cache', output: lines('FROM alpine:3.20', 'RUN apk add --no-cache curl') },
        {
          title: 'Use a BuildKit cache mount on /var/cache/apk',
          output: lines('FROM alpine:3.20', 'RUN --mount=type=cache,target=/var/cache/apk apk add curl'),
        },
      ],
    },
    {
      code: lines('FROM alpine:3.20', 'RUN set -e; sudo apk add \\', '    git'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 18, endLine: 3, endColumn: 8 }],
      output: lines('FROM alpine:3.20', 'RUN set -e; sudo apk add --no-cache \\', '    git'),
    },
    {
      name: 'a removal before the install does not count',
      code: lines('FROM alpine:3.20', 'RUN rm -rf /var/cache/apk/* && apk add curl'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 32, endLine: 2, endColumn: 44 }],
      output: lines('FROM alpine:3.20', 'RUN rm -rf /var/cache/apk/* && apk add --no-cache curl'),
    },
    {
      name: 'exec form with sh -c',
      code: lines('FROM alpine:3.20', 'RUN ["/bin/sh", "-c", "apk add curl"]'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 24, endLine: 2, endColumn: 36 }],
      output: lines('FROM alpine:3.20', 'RUN ["/bin/sh", "-c", "apk add --no-cache curl"]'),
    },
    {
      name: 'exec form without a shell',
      code: lines('FROM alpine:3.20', 'RUN ["apk", "add", "curl"]'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 7, endLine: 2, endColumn: 25 }],
      output: lines('FROM alpine:3.20', 'RUN ["apk", "add", "--no-cache", "curl"]'),
    },
    {
      name: 'heredoc script',
      code: lines('FROM alpine:3.20', 'RUN <<EOF', 'apk add curl', 'EOF'),
      findings: [{ messageId: 'missingFlag', line: 3, column: 1, endLine: 3, endColumn: 13 }],
      output: lines('FROM alpine:3.20', 'RUN <<EOF', 'apk add --no-cache curl', 'EOF'),
    },
  ],
});
