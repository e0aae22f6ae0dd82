import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const MODELS = fileURLToPath(new URL('.', import.meta.url));

/** The text of the outermost `.meta({ description })` of a field's schema chain. */
function metaDescription(initializer: ts.Expression): string | undefined {
  let node: ts.Expression = initializer;
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const [argument] = node.arguments;
    if (node.expression.name.text === 'meta' && argument && ts.isObjectLiteralExpression(argument)) {
      const description = argument.properties.find(
        (property): property is ts.PropertyAssignment =>
          ts.isPropertyAssignment(property) && property.name.getText() === 'description',
      );
      if (description && ts.isStringLiteralLike(description.initializer)) return description.initializer.text;
    }
    node = node.expression.expression;
  }
  return undefined;
}

/** Every schema field of the models with its TSDoc (what typedoc shows) and its JSON Schema description. */
function fields(): { where: string; tsdoc: string | undefined; description: string }[] {
  const found: { where: string; tsdoc: string | undefined; description: string }[] = [];
  for (const file of readdirSync(MODELS).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
    const source = ts.createSourceFile(file, readFileSync(`${MODELS}${file}`, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node)) {
        const description = metaDescription(node.initializer);
        if (description !== undefined) {
          const doc = ts.getJSDocCommentsAndTags(node).find(ts.isJSDoc);
          const tsdoc = doc ? ts.getTextOfJSDocComment(doc.comment)?.replace(/\s+/g, ' ').trim() : undefined;
          found.push({ where: `${file}: ${node.name.getText()}`, tsdoc, description });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('field documentation', () => {
  it('says the same in the TSDoc (API docs, editors) as in the JSON Schema', () => {
    const all = fields();
    expect(all.length).toBeGreaterThan(150);
    const differing = all
      .filter(({ tsdoc, description }) => tsdoc !== description)
      .map(({ where, tsdoc, description }) => ({ where, tsdoc, description }));
    expect(differing).toEqual([]);
  });
});
