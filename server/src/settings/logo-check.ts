import { imageSize } from 'image-size';
import { LOGO_MAX_BYTES, type FieldRule, type LogoContentType } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { checkSvg, NOT_AN_IMAGE, SvgRefused } from './svg-check.js';

/** Wider or taller than this, a raster logo is refused: a small file can decode into a huge bitmap. */
export const LOGO_MAX_PIXELS = 4000;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

export const refuseLogo = (reason: string, rule: FieldRule, params?: Record<string, string | number>) => {
  const message = `The logo was refused: ${reason}`;
  return new AppError('VALIDATION_FAILED', message, { fields: [{ field: 'logo', message, rule, ...(params ? { params } : {}) }] });
};

export const logoTooLarge = () =>
  new AppError('PAYLOAD_TOO_LARGE', `The logo is larger than 1 MB (${LOGO_MAX_BYTES.toLocaleString('en')} bytes). Upload a smaller file.`);

/**
 * What the bytes are, judged by their content alone (never a file name or a declared type): a PNG
 * or JPEG whose header parses to sensible dimensions, or an SVG that passes checkSvg. Anything
 * else throws a 400 naming the reason; nothing is repaired or stripped.
 */
export function checkLogo(bytes: Buffer): LogoContentType {
  if (bytes.length === 0) throw refuseLogo('the file is empty.', 'fileEmpty');
  if (bytes.length > LOGO_MAX_BYTES) throw logoTooLarge();
  const raster = bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)
    ? 'png'
    : bytes.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE)
      ? 'jpg'
      : null;
  if (raster) {
    checkRaster(bytes, raster);
    return raster === 'png' ? 'image/png' : 'image/jpeg';
  }
  try {
    checkSvg(bytes);
  } catch (err) {
    if (err instanceof SvgRefused) throw refuseLogo(err.message, err.message === NOT_AN_IMAGE ? 'notAnImage' : 'svgUnsafe');
    throw err;
  }
  return 'image/svg+xml';
}

function checkRaster(bytes: Buffer, expected: 'png' | 'jpg') {
  const name = expected === 'png' ? 'PNG' : 'JPEG';
  let size: { type?: string; width: number; height: number };
  try {
    size = imageSize(bytes);
  } catch {
    throw refuseLogo(`it starts like a ${name} image but its header cannot be read.`, 'imageHeader', { format: name });
  }
  if (size.type !== expected || !(size.width > 0 && size.height > 0))
    throw refuseLogo(`it starts like a ${name} image but its header cannot be read.`, 'imageHeader', { format: name });
  if (size.width > LOGO_MAX_PIXELS || size.height > LOGO_MAX_PIXELS)
    throw refuseLogo(
      `the image is ${size.width} × ${size.height} pixels; at most ${LOGO_MAX_PIXELS} × ${LOGO_MAX_PIXELS} is accepted.`,
      'imagePixels',
      { width: size.width, height: size.height, max: LOGO_MAX_PIXELS },
    );
}
