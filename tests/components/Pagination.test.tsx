// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Pagination } from '../../src/components/dashboard/Pagination';
import './dom';

const href = (page: number) => `/hot-list?page=${page}`;

describe('Pagination', () => {
  it('links to the neighbouring pages and says where you are', () => {
    render(<Pagination page={2} pageSize={25} total={210} href={href} />);
    const nav = screen.getByRole('navigation', { name: 'Pagination' });
    expect(nav).toHaveTextContent('Showing 26–50 of 210');
    expect(nav).toHaveTextContent('Page 2 of 9');
    expect(screen.getByRole('link', { name: 'Previous' })).toHaveAttribute('href', href(1));
    expect(screen.getByRole('link', { name: 'Next' })).toHaveAttribute('href', href(3));
  });

  it('disables Previous on the first page and Next on the last', () => {
    const { rerender } = render(<Pagination page={1} pageSize={25} total={210} href={href} />);
    expect(screen.queryByRole('link', { name: 'Previous' })).toBeNull();
    expect(screen.getByText('Previous')).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByRole('link', { name: 'Next' })).toBeVisible();

    rerender(<Pagination page={9} pageSize={25} total={210} href={href} />);
    expect(screen.getByText('Showing 201–210 of 210')).toBeVisible();
    expect(screen.queryByRole('link', { name: 'Next' })).toBeNull();
    expect(screen.getByText('Next')).toHaveAttribute('aria-disabled', 'true');
  });

  it('clamps a page past the end to the last page', () => {
    render(<Pagination page={40} pageSize={25} total={210} href={href} />);
    expect(screen.getByRole('navigation')).toHaveTextContent('Page 9 of 9');
    expect(screen.getByRole('link', { name: 'Previous' })).toHaveAttribute('href', href(8));
  });

  it('shows only the count when everything fits on one page, and nothing when empty', () => {
    const { container, rerender } = render(
      <Pagination page={1} pageSize={25} total={7} href={href} />,
    );
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(container).toHaveTextContent('Showing 1–7 of 7');
    rerender(<Pagination page={1} pageSize={25} total={0} href={href} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('pages a list it has not counted: where you are, and Next only while more follow', () => {
    const { container, rerender } = render(
      <Pagination page={2} pageSize={25} shown={25} hasNext href={href} />,
    );
    const nav = screen.getByRole('navigation', { name: 'Pagination' });
    expect(nav).toHaveTextContent('Showing 26–50');
    expect(nav).toHaveTextContent('Page 2');
    expect(nav).not.toHaveTextContent(' of ');
    expect(screen.getByRole('link', { name: 'Previous' })).toHaveAttribute('href', href(1));
    expect(screen.getByRole('link', { name: 'Next' })).toHaveAttribute('href', href(3));

    rerender(<Pagination page={3} pageSize={25} shown={4} hasNext={false} href={href} />);
    expect(screen.getByRole('navigation')).toHaveTextContent('Showing 51–54');
    expect(screen.queryByRole('link', { name: 'Next' })).toBeNull();

    // Past the end (an old link): nothing here, and the way back.
    rerender(<Pagination page={9} pageSize={25} shown={0} href={href} />);
    expect(screen.getByRole('navigation')).toHaveTextContent('Nothing on this page');
    expect(screen.getByRole('link', { name: 'Previous' })).toHaveAttribute('href', href(8));

    rerender(<Pagination page={1} pageSize={25} shown={7} href={href} />);
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(container).toHaveTextContent('Showing 1–7');
    rerender(<Pagination page={1} pageSize={25} shown={0} href={href} />);
    expect(container).toBeEmptyDOMElement();
  });
});
