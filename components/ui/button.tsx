import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'secondary' | 'danger';

const styles: Record<Variant, string> = {
  primary: 'bg-accent text-white hover:bg-[#16304f] disabled:opacity-60',
  secondary: 'border border-line bg-white text-ink hover:bg-stone-100 disabled:opacity-60',
  danger: 'border border-danger bg-white text-danger hover:bg-rose-50 disabled:opacity-60',
};

export function Button({ variant = 'primary', className = '', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return (
    <button
      {...props}
      className={`inline-flex min-h-11 items-center justify-center rounded-md px-4 py-2 text-sm font-semibold transition-colors ${styles[variant]} ${className}`}
    />
  );
}

export const buttonClass = (variant: Variant = 'primary') =>
  `inline-flex min-h-11 items-center justify-center rounded-md px-4 py-2 text-sm font-semibold transition-colors ${styles[variant]}`;
