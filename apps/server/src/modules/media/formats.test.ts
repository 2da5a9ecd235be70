import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extensionOf, sniffFormat } from './formats.ts';
import { sampleAmr, sampleGif, sampleJpeg, sampleMp4, samplePng } from './samples.test-util.ts';

describe('media format detection by magic bytes', () => {
  it('recognises each supported format from its first bytes', async () => {
    assert.equal(sniffFormat(await samplePng())?.format, 'png');
    assert.equal(sniffFormat(sampleJpeg())?.format, 'jpeg');
    assert.equal(sniffFormat(sampleGif())?.format, 'gif');
    assert.equal(sniffFormat(Buffer.concat([Buffer.from('BM', 'latin1'), Buffer.alloc(60)]))?.format, 'bmp');
    assert.equal(sniffFormat(sampleAmr())?.format, 'amr');
    assert.equal(sniffFormat(Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.alloc(20)]))?.format, 'mp3');
    assert.equal(sniffFormat(Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0]))?.format, 'mp3', 'an MPEG audio frame without ID3');
    assert.equal(sniffFormat(sampleMp4())?.format, 'mp4');
  });

  it('recognises nothing in text, truncated headers or empty input', () => {
    assert.equal(sniffFormat(Buffer.from('<?php echo 1; ?>')), undefined);
    assert.equal(sniffFormat(Buffer.from([0x89, 0x50, 0x4e])), undefined);
    assert.equal(sniffFormat(Buffer.from([0xff, 0xd8])), undefined);
    assert.equal(sniffFormat(Buffer.alloc(0)), undefined);
    assert.equal(sniffFormat(Buffer.from('BM')), undefined);
  });

  it('reads file name extensions case-insensitively', () => {
    assert.equal(extensionOf('photo.JPG'), 'jpg');
    assert.equal(extensionOf('archive.tar.gz'), 'gz');
    assert.equal(extensionOf('README'), undefined);
  });
});
