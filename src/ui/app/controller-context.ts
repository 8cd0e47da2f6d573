import { createContext, useContext } from 'react';
import type { Controller } from './controller';

export const ControllerContext = createContext<Controller | undefined>(undefined);

export function useController(): Controller {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error('useController needs a ControllerContext provider (see src/main.tsx)');
  return controller;
}
