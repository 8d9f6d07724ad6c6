/**
 * Shared by the jsdom component tests: jest-dom's matchers, and unmounting
 * after each test (Testing Library only does that itself with test globals on).
 */
import '@testing-library/jest-dom/vitest';
import { act, cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

/** Lets pending promises (a mocked fetch, a dynamic import) settle inside act(). */
export async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}
