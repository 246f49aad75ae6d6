/**
 * The part of pdfmake 0.3's Node API (`require('pdfmake')`: one shared instance) that render/pdf.ts
 * uses. Not @types/pdfmake: its `/// <reference lib="dom" />` would put the DOM's types into every
 * file of the repo (it broke `Buffer` as a `BlobPart` in the integration tests).
 */
declare module 'pdfmake' {
  // The types live in a namespace merged with the instance, so `import type { Content } from 'pdfmake'` works beside `export =`.
  namespace pdfmake {
    export type Margins = number | [number, number] | [number, number, number, number];

    export interface Style {
      font?: string;
      fontSize?: number;
      bold?: boolean;
      italics?: boolean;
      color?: string;
      fillColor?: string;
      alignment?: 'left' | 'right' | 'center' | 'justify';
      lineHeight?: number;
      margin?: Margins;
    }

    export interface TableLayout {
      hLineWidth?: (i: number, node: { table: { body: unknown[][] } }) => number;
      vLineWidth?: (i: number, node: { table: { widths?: unknown[] } }) => number;
      hLineColor?: (i: number) => string;
      vLineColor?: (i: number) => string;
      paddingLeft?: (i: number) => number;
      paddingRight?: (i: number) => number;
      paddingTop?: (i: number) => number;
      paddingBottom?: (i: number) => number;
    }

    /** One node of the document; pdfmake reads the keys that apply to the node's kind. */
    export interface ContentNode extends Style {
      text?: string | number | Array<string | ContentNode>;
      stack?: Content[];
      columns?: Content[];
      columnGap?: number;
      table?: {
        headerRows?: number;
        keepWithHeaderRows?: number;
        dontBreakRows?: boolean;
        widths?: Array<number | '*' | 'auto'>;
        body: Content[][];
      };
      layout?: string | TableLayout;
      /** An SVG document's text; `font` is the family its text falls back to. */
      svg?: string;
      width?: number | '*' | 'auto';
      height?: number;
      style?: string | string[];
      colSpan?: number;
      border?: [boolean, boolean, boolean, boolean];
      pageBreak?: 'before' | 'after';
      unbreakable?: boolean;
    }

    export type Content = string | ContentNode | Content[];

    export interface DocumentDefinition {
      pageSize?: string | { width: number; height: number };
      pageOrientation?: 'portrait' | 'landscape';
      pageMargins?: Margins;
      content: Content;
      styles?: Record<string, Style>;
      defaultStyle?: Style;
      footer?: (currentPage: number, pageCount: number) => Content;
      info?: { title?: string; author?: string; subject?: string; creator?: string };
      language?: string;
      compress?: boolean;
    }

    export interface FontFiles {
      normal: string;
      bold?: string;
      italics?: string;
      bolditalics?: string;
    }

    /** pdfkit's document: a readable stream of the PDF's bytes once `end()` is called. */
    export interface PdfKitDocument extends NodeJS.ReadableStream {
      end(): void;
    }

    export interface CreatedPdf {
      getStream(): Promise<PdfKitDocument>;
      getBuffer(): Promise<Buffer>;
    }

    export interface PdfMake {
      setFonts(fonts: Record<string, FontFiles>): void;
      setUrlAccessPolicy(callback: (url: string) => boolean): void;
      setLocalAccessPolicy(callback: (path: string) => boolean): void;
      createPdf(definition: DocumentDefinition): CreatedPdf;
    }
  }

  const pdfmake: pdfmake.PdfMake;
  export = pdfmake;
}
