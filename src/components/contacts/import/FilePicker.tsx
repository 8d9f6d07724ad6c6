import { type DragEvent, type Ref, useId, useState } from 'react';
import { formatBytes } from './import-labels';

export interface FilePickerProps {
  file: File | null;
  disabled: boolean;
  maxBytes: number;
  onFile: (file: File) => void;
  /** The island moves focus here after "Import another file". */
  inputRef?: Ref<HTMLInputElement>;
}

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/**
 * A drop zone around a real file input. The input is visually hidden but
 * stays focusable, so Tab, Enter and Space reach the browser's own picker;
 * its label is the visible button.
 */
export function FilePicker({ file, disabled, maxBytes, onFile, inputRef }: FilePickerProps) {
  const inputId = useId();
  const hintId = useId();
  const [dragging, setDragging] = useState(false);

  const over = (e: DragEvent) => {
    if (disabled || !hasFiles(e)) return;
    e.preventDefault(); // lets the drop happen here instead of the browser opening the file
    e.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const dropped = e.dataTransfer.files[0];
    if (!disabled && dropped) onFile(dropped);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a shortcut; the labelled input inside does the same from the keyboard
    <div
      className={`csv-drop${dragging ? ' dragging' : ''}${disabled ? ' disabled' : ''}`}
      onDragEnter={over}
      onDragOver={over}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <input
        ref={inputRef}
        id={inputId}
        className="visually-hidden csv-drop-input"
        type="file"
        name="file"
        accept=".csv,text/csv"
        disabled={disabled}
        aria-describedby={hintId}
        onChange={(e) => {
          const chosen = e.currentTarget.files?.[0];
          if (chosen) onFile(chosen);
        }}
      />
      <span className="csv-drop-icon" aria-hidden="true">
        ⇪
      </span>
      <label htmlFor={inputId} className="button secondary csv-drop-button">
        Choose a CSV file
      </label>
      <p id={hintId} className="muted csv-drop-hint">
        or drag and drop it here. CSV (comma or semicolon separated), up to {formatBytes(maxBytes)}.
      </p>
      {file && (
        <p className="csv-drop-file">
          Selected: <strong>{file.name}</strong>{' '}
          <span className="muted">({formatBytes(file.size)})</span>
        </p>
      )}
    </div>
  );
}
