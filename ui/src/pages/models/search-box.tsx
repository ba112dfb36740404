/** A search input that applies what is typed after a short pause (or at once on Enter). */
import { type FormEvent, useEffect, useRef, useState } from 'react';

export function SearchBox({ value, onSearch, label, placeholder }: { value: string; onSearch: (text: string) => void; label: string; placeholder?: string }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const change = (next: string) => {
    setText(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => onSearch(next.trim()), 300);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    clearTimeout(timer.current);
    onSearch(text.trim());
  };
  return (
    <form className="toolbar" role="search" aria-label={label} onSubmit={submit}>
      <input className="grow" type="search" aria-label={label} placeholder={placeholder} value={text} onChange={(e) => change(e.target.value)} />
    </form>
  );
}
