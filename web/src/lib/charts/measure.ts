/** Text widths in a chart's font, measured on an off-screen canvas (a rough estimate where there is none). */
import { roughMeasure } from './build-ranked-bars-config';

const FAMILY = "'Segoe UI', Arial, Helvetica, sans-serif";
let context: CanvasRenderingContext2D | null | undefined;

export function textMeasure(size: number, weight = 'normal'): (s: string) => number {
  if (context === undefined)
    context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  const ctx = context;
  if (!ctx) return roughMeasure(size);
  return (s: string) => {
    ctx.font = `${weight} ${size}px ${FAMILY}`;
    return ctx.measureText(s).width;
  };
}
