// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { KPICard } from '../../src/components/dashboard/KPICard';
import './dom';

describe('KPICard', () => {
  it('shows the label as the heading, the value and the subtitle', () => {
    render(<KPICard label="Total Pipeline Value" value="$4.2M" subtitle="38 open deals" />);
    const card = screen.getByRole('article', { name: 'Total Pipeline Value' });
    expect(screen.getByRole('heading', { level: 2, name: 'Total Pipeline Value' })).toBeVisible();
    expect(card).toHaveTextContent('$4.2M');
    expect(card).toHaveTextContent('38 open deals');
    expect(card).not.toHaveAttribute('aria-busy');
  });

  it('says which way a delta moved in words as well as with an arrow', () => {
    render(<KPICard label="Leads" value="1,204" delta={{ text: '+12%', direction: 'up' }} />);
    const delta = screen.getByText('+12%');
    expect(delta).toHaveClass('kpi-delta', 'up');
    expect(delta).toHaveTextContent('Up: +12%');
  });

  it('shows a busy skeleton instead of the value while loading', () => {
    render(<KPICard label="Weighted Value" value="$1.1M" subtitle="ignored" loading />);
    const card = screen.getByRole('article', { name: 'Weighted Value' });
    expect(card).toHaveAttribute('aria-busy', 'true');
    expect(card).toHaveTextContent('Loading…');
    expect(card).not.toHaveTextContent('$1.1M');
    expect(card.querySelector('.skeleton')).toHaveAttribute('aria-hidden', 'true');
  });

  it('takes a lower heading level when nested under a section heading', () => {
    render(<KPICard label="Stage Count" value="7" headingLevel={3} />);
    expect(screen.getByRole('heading', { level: 3, name: 'Stage Count' })).toBeVisible();
  });
});
