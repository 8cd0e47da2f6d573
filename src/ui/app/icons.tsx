import type { ReactElement } from 'react';

/** Drawn, not font glyphs: ⏮, ⏸ and ☾ are missing from many system fonts (and from projectors' laptops). */
const Icon = ({ children }: { children: ReactElement | ReactElement[] }): ReactElement => (
  <svg className="icon" viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" focusable="false" fill="currentColor">
    {children}
  </svg>
);

export const RestartIcon = (): ReactElement => (
  <Icon>
    <rect x="2" y="3" width="2" height="10" />
    <path d="M14 3v10L5 8z" />
  </Icon>
);

export const StepBackIcon = (): ReactElement => (
  <Icon>
    <path d="M11 3v10L4 8z" />
    <rect x="12" y="3" width="2" height="10" />
  </Icon>
);

export const PlayIcon = (): ReactElement => (
  <Icon>
    <path d="M4 2.5v11L13.5 8z" />
  </Icon>
);

export const PauseIcon = (): ReactElement => (
  <Icon>
    <rect x="3.5" y="3" width="3" height="10" />
    <rect x="9.5" y="3" width="3" height="10" />
  </Icon>
);

export const StepForwardIcon = (): ReactElement => (
  <Icon>
    <rect x="2" y="3" width="2" height="10" />
    <path d="M5 3v10l7-5z" />
  </Icon>
);

export const MoonIcon = (): ReactElement => (
  <Icon>
    <path d="M10.5 1.5a6.5 6.5 0 1 0 4 11.6A5.5 5.5 0 0 1 10.5 1.5z" />
  </Icon>
);

export const SunIcon = (): ReactElement => (
  <Icon>
    <circle cx="8" cy="8" r="3.2" />
    <path d="M7.3 0.5h1.4v2.4H7.3zM7.3 13.1h1.4v2.4H7.3zM0.5 7.3h2.4v1.4H0.5zM13.1 7.3h2.4v1.4h-2.4zM2.2 3.2l1-1 1.7 1.7-1 1zM11.1 12.1l1-1 1.7 1.7-1 1zM2.2 12.8l1.7-1.7 1 1-1.7 1.7zM11.1 3.9l1.7-1.7 1 1-1.7 1.7z" />
  </Icon>
);
