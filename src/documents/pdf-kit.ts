import type * as PdfLib from 'pdf-lib';
import type Fontkit from '@pdf-lib/fontkit';
import type QRCode from 'qrcode';

/**
 * pdf-lib, its fontkit and qrcode, required when the first document is rendered rather than when the
 * server starts: loading them is about 0.3 s of every start (the crash-safety run starts the server
 * 200 times, every test host once), and most starts render no document.
 */
export interface PdfKit {
  pdf: typeof PdfLib;
  fontkit: typeof Fontkit;
  qrcode: typeof QRCode;
}

let kit: PdfKit | undefined;

export function pdfKit(): PdfKit {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */
  kit ??= { pdf: require('pdf-lib') as typeof PdfLib, fontkit: require('@pdf-lib/fontkit') as typeof Fontkit, qrcode: require('qrcode') as typeof QRCode };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return kit;
}
