import rule from '../../server/src/rules/copy-outside-context';
import { ruleTester, lines } from '../helpers/rule-tester';
import { fakeContext } from '../helpers/context';

const linked = fakeContext({ 'app/main.py': 10 }, { links: { shared: '../../common', 'app/cfg': '/etc/app', 'app/ok': '../app/main.py' } });

ruleTester.run(rule, {
  valid: [
    lines('FROM alpine', 'COPY app/ /app/'),
    lines('FROM alpine', 'COPY ./a/../b /b'),
    lines('FROM alpine AS b', 'FROM alpine', 'COPY --from=b ../x /x'),
    { name: 'a link that stays inside', code: lines('FROM alpine', 'COPY app/ok /ok'), context: linked },
    lines('FROM alpine', 'ADD https://example.org/../x /x'),
  ],
  invalid: [
    {
      code: lines('FROM alpine', 'COPY ../shared/lib /lib'),
      findings: [{ messageId: 'outside', line: 2, column: 6, endLine: 2, endColumn: 19 }],
      output: null,
    },
    {
      name: 'climbing out after going in',
      code: lines('FROM alpine', 'COPY ["app/../../x", "/x"]'),
      findings: [{ messageId: 'outside', line: 2, column: 7, endLine: 2, endColumn: 20 }],
      output: null,
    },
    {
      name: 'links that escape, relative and absolute',
      code: lines('FROM alpine', 'COPY shared /s', 'COPY app/ /app/'),
      context: linked,
      findings: [
        { messageId: 'link', line: 2, column: 6, endLine: 2, endColumn: 12, messageIncludes: ['shared -> ../../common'] },
        { messageId: 'link', line: 3, column: 6, endLine: 3, endColumn: 10, messageIncludes: ['app/cfg -> /etc/app'] },
      ],
      output: null,
    },
  ],
});
