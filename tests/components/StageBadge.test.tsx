// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { likelihoodBand, StageBadge } from '../../src/components/dashboard/StageBadge';
import './dom';

describe('StageBadge', () => {
  it('bands stages by likelihood to close', () => {
    expect([90, 75, 74, 50, 49, 25, 24, 0].map(likelihoodBand)).toEqual([
      'hot',
      'hot',
      'warm',
      'warm',
      'cool',
      'cool',
      'cold',
      'cold',
    ]);
    expect(likelihoodBand(undefined)).toBe('unknown');
  });

  it('shows the stage with its likelihood and band colour', () => {
    render(<StageBadge stage="FDD Signed" likelihood={80} />);
    const badge = screen.getByText('FDD Signed');
    expect(badge).toHaveClass('stage-badge', 'hot');
    expect(badge).toHaveTextContent('FDD Signed, likelihood 80%');
  });

  it('shows just the stage when the likelihood is unknown', () => {
    render(<StageBadge stage="New" />);
    expect(screen.getByText('New')).toHaveClass('stage-badge', 'unknown');
    expect(screen.getByText('New')).toHaveTextContent(/^New$/);
  });
});
