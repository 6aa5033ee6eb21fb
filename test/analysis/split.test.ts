// The instruction splitter draws the boundaries dockerfile-ast's parser draws (the model used to take
// them from a full parse): same keywords, starts, keyword ends and ends, same escape character. Compared
// on every corpus file, on hand-picked odd cases, and on generated text with a fixed seed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { DockerfileParser } from 'dockerfile-ast';
import { splitInstructions, type Split } from '../../server/src/analysis/split';
import { LineIndex } from '../../server/src/analysis/text';
import { corpusDir } from '../helpers/corpus';

/** What dockerfile-ast says, in the splitter's terms (offsets through the same line index). */
function reference(text: string): Split {
  const ast = DockerfileParser.parse(text);
  const lines = new LineIndex(text);
  return {
    escape: ast.getEscapeCharacter() === '`' ? '`' : '\\',
    instructions: ast.getInstructions().map((n) => ({
      keyword: n.getKeyword().toUpperCase(),
      start: lines.offsetAt(n.getRange().start),
      keywordEnd: lines.offsetAt(n.getInstructionRange().end),
      end: lines.offsetAt(n.getRange().end),
    })),
  };
}

/** The split without `openHeredoc`, which dockerfile-ast does not tell. */
function boundaries(text: string): Split {
  const split = splitInstructions(text);
  return { escape: split.escape, instructions: split.instructions.map(({ keyword, start, keywordEnd, end }) => ({ keyword, start, keywordEnd, end })) };
}

function same(text: string): void {
  assert.deepEqual(boundaries(text), reference(text), JSON.stringify(text));
}

describe('splitInstructions', () => {
  it('gives spans and keywords of plain instructions', () => {
    const text = 'FROM alpine\nrun apk add \\\n  curl\n';
    assert.deepEqual(splitInstructions(text), {
      escape: '\\',
      instructions: [
        { keyword: 'FROM', start: 0, keywordEnd: 4, end: 11 },
        { keyword: 'RUN', start: 12, keywordEnd: 15, end: 32 },
      ],
    });
  });

  it('marks the instruction whose heredoc never closes', () => {
    const open = (text: string): (true | undefined)[] => splitInstructions(text).instructions.map((i) => i.openHeredoc);
    assert.deepEqual(open('FROM x\nRUN <<EOF\necho\nEOF\nRUN y\n'), [undefined, undefined, undefined]);
    assert.deepEqual(open('FROM x\nRUN <<EOF\necho\nEOF'), [undefined, undefined], 'closed by the last line, without a break');
    assert.deepEqual(open('FROM x\nRUN <<EOF\necho\nCMD y\n'), [undefined, true]);
    assert.deepEqual(open('FROM x\nRUN <<EOF'), [undefined, true], 'a heredoc word on the last line has no body');
    assert.deepEqual(open('FROM x\nRUN cat <<A <<B\n1\nA\n2\n'), [undefined, true], 'the second of two never closes');
    assert.deepEqual(open('FROM x\nCOPY <<EOF /x\nbody\n'), [undefined, true]);
    assert.deepEqual(open('FROM x\nRUN cat a<<b\n'), [undefined, undefined], '<< inside a word opens none');
    assert.deepEqual(open('FROM x\nRUN cat a <<b\n'), [undefined, true], 'a heredoc word after other words');
  });

  it('agrees with dockerfile-ast on odd cases', () => {
    const cases = [
      '', '\uFEFF', '\uFEFFFROM x', '# escape=`\nFROM x\nRUN a `\n b', '#escape=\\\n# escape=`\nRUN a', '# directive=x\n# escape=`\nRUN a `\n b',
      '# a=b #escape=`\nRUN x `\n y\nRUN z', '#escape=`', '# escape = `\nRUN a', '# not a directive\n# escape=`\nRUN a \\\n b',
      'RU\\\nN echo', 'RUN\\\n  echo a', 'RUN \\\n# comment\n  echo a', 'RUN a \\ \n b', 'RUN a \\  x\nRUN b', 'R\\ \nUN a',
      'RUN <<EOF\necho\nEOF\nRUN b', 'RUN <<-EOF\n\techo\n\tEOF\nRUN b', 'RUN <<"EOF" <<\'END\'\na\nEOF\nb\nEND\nCMD x', 'RUN <<EOF',
      'COPY <<a <<-b /x\n1\na\n\t2\n\tb\nRUN z', 'ADD --chmod=1 <<EOF /x\nbody\nEOF\n', 'RUN --mount=a--b <<EOF\nx\nEOF\n', 'RUN a--b --c <<EOF\nx\nEOF\nRUN d',
      'ONBUILD RUN <<EOF\nx\nEOF\nRUN y', 'ONBUILD COPY <<EOF /x\ny\nEOF\n', 'ONBUILD', 'RUN <<"\nRUN x', 'RUN <\\<EOF\nx\nEOF\nRUN y',
      'RUN a\r\nRUN b\r\n', 'RUN a \\\r\n b\r\nRUN c', 'RUN a\rRUN b\r', 'RUN <<EOF\r\nx\r\nEOF\r\nRUN y', 'FROM x\n  \t# c\n\tRUN y',
      'RUN a \\\\\nRUN b', '\\\nRUN a', 'RUN a \\', 'RUN a \\  ', 'x\fRUN', 'RUN\t<<EOF\nEOF', 'ß RUN',
    ];
    for (const text of cases) same(text);
  });

  it('agrees with dockerfile-ast on every corpus file', (t) => {
    const dir = corpusDir();
    if (!dir) return t.skip('corpus not present');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.Dockerfile'))) same(fs.readFileSync(path.join(dir, f), 'utf8'));
  });

  it('agrees with dockerfile-ast on generated text', () => {
    const atoms = [
      'R', 'U', 'N', 'RUN ', 'COPY ', 'ADD ', 'ONBUILD ', 'FROM x\n', ' ', '\t', '\n', '\r', '\r\n', '\\', '`', '#', '<', '<<', '<<-', '-',
      '--', '"', "'", '=', 'EOF', '\tEOF', '# escape=`\n', '#escape=\\\n', '$', '\uFEFF', '[', ']', '\\\n', '\\ \n', 'x', '\f',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...atoms), { maxLength: 40 }), (parts) => same(parts.join(''))),
      { seed: 20261128, numRuns: 3000 },
    );
  });
});
