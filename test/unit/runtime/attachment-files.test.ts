import { fileRefusal, sanitiseFileName, sniffMediaType } from '../../../src/runtime/attachment-files';
import { SAMPLE_JPEG, SAMPLE_PDF, SAMPLE_PNG, SAMPLE_TIFF } from '../../support/attachment-files';

describe('attachment files', () => {
  it.each([
    ['PDF', SAMPLE_PDF, 'application/pdf'],
    ['JPEG', SAMPLE_JPEG, 'image/jpeg'],
    ['PNG', SAMPLE_PNG, 'image/png'],
    ['TIFF little-endian', SAMPLE_TIFF, 'image/tiff'],
    ['TIFF big-endian', Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]), 'image/tiff'],
    ['a Windows program', Buffer.from('MZ\x90\x00', 'latin1'), null],
    ['HTML', Buffer.from('<!doctype html><script>'), null],
    ['a truncated PNG signature', Buffer.from([0x89, 0x50, 0x4e]), null],
  ])('sniffs %s as %s', (_name, bytes, type) => {
    expect(sniffMediaType(bytes)).toBe(type);
  });

  it.each([
    ['C:\\scans\\өтініш.pdf', 'өтініш.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['scan\u202Efdp.exe', 'scanfdp.exe'],
    ['a<b>:c"d|e?f*.pdf', 'a_b__c_d_e_f_.pdf'],
    ['..hidden.pdf', 'hidden.pdf'],
    ['  many   spaces .pdf ', 'many spaces .pdf'],
    ['line\nbreak\u0000.pdf', 'linebreak.pdf'],
    ['', 'document'],
    ['...', 'document'],
    [`${'я'.repeat(300)}.pdf`, `${'я'.repeat(196)}.pdf`],
  ])('sanitises the name %j to %j', (raw, expected) => {
    expect(sanitiseFileName(raw)).toBe(expected);
  });

  it.each([
    ['empty', 'application/pdf', Buffer.alloc(0), 'ATTACHMENT_EMPTY'],
    ['text', 'text/plain', Buffer.from('hello'), 'ATTACHMENT_TYPE_NOT_ALLOWED'],
    ['PNG declared PDF', 'application/pdf', SAMPLE_PNG, 'ATTACHMENT_TYPE_MISMATCH'],
    ['JPEG declared without a type', '', SAMPLE_JPEG, 'ATTACHMENT_TYPE_MISMATCH'],
    ['JPEG declared image/jpg (an alias)', 'image/jpg', SAMPLE_JPEG, null],
    ['PDF declared with a parameter', 'Application/PDF; name=x', SAMPLE_PDF, null],
  ])('checks %s: %s', (_case, declared, bytes, code) => {
    expect(fileRefusal('x', declared, bytes)?.code ?? null).toBe(code);
  });
});
