import { describe, expect, it } from 'vitest';
import { detectImageType, extensionOf } from './image-type.ts';

describe('image type from magic bytes', () => {
  it('recognises JPEG, PNG and WebP', () => {
    expect(detectImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(detectImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(detectImageType(Buffer.concat([Buffer.from('RIFF'), Buffer.from([1, 2, 3, 4]), Buffer.from('WEBPVP8 ')]))).toBe('image/webp');
  });

  it('refuses anything else, whatever it is called: executables, PDFs, GIFs, RIFF that is not WebP, truncated headers', () => {
    expect(detectImageType(Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'))).toBeUndefined(); // Windows .exe
    expect(detectImageType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toBeUndefined(); // ELF
    expect(detectImageType(Buffer.from('%PDF-1.7'))).toBeUndefined();
    expect(detectImageType(Buffer.from('GIF89a'))).toBeUndefined();
    expect(detectImageType(Buffer.concat([Buffer.from('RIFF'), Buffer.from([1, 2, 3, 4]), Buffer.from('WAVEfmt ')]))).toBeUndefined();
    expect(detectImageType(Uint8Array.from([0xff, 0xd8]))).toBeUndefined();
    expect(detectImageType(new Uint8Array())).toBeUndefined();
  });

  it('names the stored extension after the detected type', () => {
    expect(extensionOf('image/jpeg')).toBe('jpg');
    expect(extensionOf('image/webp')).toBe('webp');
  });
});
