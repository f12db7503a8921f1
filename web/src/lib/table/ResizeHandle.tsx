import { useRef } from 'react';
import { useDirection } from '@mantine/core';
import { useI18n } from '../../i18n';
import classes from './DataTable.module.css';

export const MIN_COLUMN_WIDTH = 48;
export const MAX_COLUMN_WIDTH = 800;
const STEP = 16;
const clampWidth = (w: number) => Math.round(Math.max(MIN_COLUMN_WIDTH, Math.min(MAX_COLUMN_WIDTH, w)));

/** The edge of a header cell: drag it with a pointer, or focus it and press the arrow keys. */
export function ResizeHandle({ label, width, onResize }: { label: string; width: number; onResize: (width: number) => void }) {
  const { t } = useI18n();
  const { dir } = useDirection();
  const start = useRef<{ x: number; width: number } | null>(null);
  // In right-to-left pages a column's end edge is on its left, so moving left widens it.
  const sign = dir === 'rtl' ? -1 : 1;
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={t('table.resize', { column: label })}
      aria-valuenow={width}
      aria-valuemin={MIN_COLUMN_WIDTH}
      aria-valuemax={MAX_COLUMN_WIDTH}
      tabIndex={0}
      className={classes.resize}
      data-testid="column-resize"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { x: e.clientX, width };
      }}
      onPointerMove={(e) => {
        if (start.current) onResize(clampWidth(start.current.width + sign * (e.clientX - start.current.x)));
      }}
      onPointerUp={() => (start.current = null)}
      onKeyDown={(e) => {
        const grow = e.key === 'ArrowRight' ? sign : e.key === 'ArrowLeft' ? -sign : 0;
        if (!grow) return;
        e.preventDefault();
        onResize(clampWidth(width + grow * STEP));
      }}
    />
  );
}
