// Typed access to the size table. Rules quote `label` in messages; estimates use `bytes`.
import table from './sizes.json';

export interface SizeFact {
  bytes: number;
  label: string;
  date: string;
  source: string;
}

export type SizeKey = Exclude<keyof typeof table, '$comment'>;

export const sizes: Record<SizeKey, SizeFact> = table;
