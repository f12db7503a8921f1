import { parse as parseCss, walk as walkCss, type CssNode } from 'css-tree';
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';

/** Why an SVG is refused, said so a person can fix the file. */
export class SvgRefused extends Error {}

const SVG = 'http://www.w3.org/2000/svg';
const XLINK = 'http://www.w3.org/1999/xlink';
const XMLNS = 'http://www.w3.org/2000/xmlns/';
/** Editors' bookkeeping (Inkscape, Sodipodi, RDF licence metadata) that no renderer acts on. */
const METADATA_NAMESPACES = new Set([
  'http://www.inkscape.org/namespaces/inkscape',
  'http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  'http://creativecommons.org/ns#',
  'http://purl.org/dc/elements/1.1/',
  'http://purl.org/dc/terms/',
]);
/** The SVG elements a static logo may use: shapes, text, paint servers, clipping, masks and filters. */
const SVG_ELEMENTS = new Set(
  (
    'svg g defs symbol use title desc metadata switch a view style path rect circle ellipse line polyline polygon text tspan ' +
    'textPath image clipPath mask pattern marker linearGradient radialGradient stop filter feBlend feColorMatrix ' +
    'feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight feDropShadow ' +
    'feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset ' +
    'fePointLight feSpecularLighting feSpotLight feTile feTurbulence'
  ).split(' '),
);
/** Presentation attributes whose value is CSS that may hold url(…). */
const URL_ATTRIBUTES = new Set(['fill', 'stroke', 'clip-path', 'mask', 'filter', 'marker-start', 'marker-mid', 'marker-end', 'cursor']);
/** CSS functions that load a resource other than by url(…). */
const RESOURCE_FUNCTIONS = new Set(['image', 'image-set', '-webkit-image-set', 'cross-fade', 'element', 'src']);
const RASTER_DATA_URL = /^data:image\/(png|jpeg);base64,/i;

export const NOT_AN_IMAGE = 'it is not a PNG, JPEG or SVG image.';

const refuse = (reason: string): never => {
  throw new SvgRefused(reason);
};
const shorten = (value: string) => (value.length > 80 ? `${value.slice(0, 77)}…` : value);

/**
 * Parses the bytes as an SVG document with a strict XML parser and refuses, rather than strips,
 * anything that could run code or reach outside the file: a DOCTYPE, processing instructions,
 * scripts, foreign objects, elements from outside SVG (other than editors' metadata), event
 * handler attributes, references other than to the file's own fragments (or an embedded PNG or
 * JPEG), and CSS that imports or loads anything. Throws SvgRefused with the reason.
 */
export function checkSvg(bytes: Buffer): void {
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    refuse(NOT_AN_IMAGE);
  }
  const parser = new SaxesParser({ xmlns: true, position: true });
  let rootSeen = false;
  let style: string | null = null;
  parser.on('doctype', () => refuse('the SVG has a DOCTYPE, whose entities can pull in other files.'));
  parser.on('processinginstruction', (pi) => refuse(`the SVG has a processing instruction (<?${pi.target} …?>).`));
  parser.on('opentag', (tag) => {
    if (!rootSeen && (tag.uri !== SVG || tag.local !== 'svg')) refuse(NOT_AN_IMAGE);
    rootSeen = true;
    checkElement(tag);
    if (tag.uri === SVG && tag.local === 'style') style = '';
  });
  const collect = (chunk: string) => {
    if (style !== null) style += chunk;
  };
  parser.on('text', collect);
  parser.on('cdata', collect);
  parser.on('closetag', (tag) => {
    if (style === null || tag.uri !== SVG || tag.local !== 'style') return;
    checkCss(style, 'stylesheet', 'a <style> element');
    style = null;
  });
  try {
    parser.write(text).close();
  } catch (err) {
    if (err instanceof SvgRefused) throw err;
    refuse(rootSeen ? `the SVG is not well-formed XML (${(err as Error).message}).` : NOT_AN_IMAGE);
  }
  if (!rootSeen) refuse(NOT_AN_IMAGE);
}

function checkElement(tag: SaxesTagNS) {
  if (tag.uri === SVG) {
    if (tag.local === 'script') refuse('the SVG contains a <script> element.');
    if (tag.local === 'foreignObject') refuse('the SVG contains a <foreignObject> element, which can embed a web page.');
    if (!SVG_ELEMENTS.has(tag.local)) refuse(`the SVG contains a <${tag.name}> element, which is not accepted in a logo.`);
  } else if (!METADATA_NAMESPACES.has(tag.uri)) {
    refuse(`the SVG contains <${tag.name}>, an element from outside SVG${tag.uri ? ` (${tag.uri})` : ''}.`);
  }
  for (const attribute of Object.values(tag.attributes)) checkAttribute(tag, attribute);
}

function checkAttribute(tag: SaxesTagNS, attribute: SaxesAttributeNS) {
  const { uri, local, name, value } = attribute;
  if (uri === XMLNS) return;
  if (local.toLowerCase().startsWith('on')) refuse(`the SVG has an event handler attribute (${name} on <${tag.name}>).`);
  if (local === 'href' && (uri === '' || uri === XLINK)) {
    const target = value.trim();
    const embeddedImage = tag.uri === SVG && (tag.local === 'image' || tag.local === 'feImage') && RASTER_DATA_URL.test(target);
    if (!target.startsWith('#') && !embeddedImage)
      refuse(`the SVG refers to something outside the file (${name}="${shorten(target)}" on <${tag.name}>).`);
  }
  if (uri !== '') return;
  if (local === 'style') checkCss(value, 'declarationList', `the style attribute of <${tag.name}>`);
  else if (URL_ATTRIBUTES.has(local)) checkCss(value, 'value', `the ${local} attribute of <${tag.name}>`);
}

/** Parses CSS found in the SVG and refuses anything that loads a resource; CSS that does not parse cleanly is refused too. */
function checkCss(css: string, context: 'stylesheet' | 'declarationList' | 'value', where: string) {
  let failure: string | null = null;
  let ast: CssNode | null = null;
  try {
    ast = parseCss(css, { context, parseCustomProperty: true, onParseError: (error) => (failure ??= error.message) });
  } catch (error) {
    failure = (error as Error).message;
  }
  if (failure !== null || !ast) return refuse(`${where} holds CSS that cannot be read (${failure}).`);
  walkCss(ast, (node) => {
    if (node.type === 'Raw') refuse(`${where} holds CSS that cannot be read (${shorten(node.value)}).`);
    if (node.type === 'Atrule' && node.name.toLowerCase() === 'import') refuse(`${where} imports another style sheet (@import).`);
    if (node.type === 'Url' && !node.value.trim().startsWith('#'))
      refuse(`${where} refers to something outside the file (url(${shorten(node.value)})).`);
    if (node.type === 'Function' && (RESOURCE_FUNCTIONS.has(node.name.toLowerCase()) || node.name.includes('\\')))
      refuse(`${where} uses ${node.name}(), which can load other files.`);
  });
}
