const TEMPLATES = [
  { type: 'basic', label: 'Basic template', detail: 'name and phone' },
  {
    type: 'advanced',
    label: 'Advanced template',
    detail: 'with email, company, timezone and custom columns',
  },
] as const;

/** Example CSVs to start from; plain links, so they work without JavaScript too. */
export function TemplateLinks() {
  return (
    <p className="csv-templates">
      Start from a template:{' '}
      {TEMPLATES.map((t, i) => (
        <span key={t.type}>
          {i > 0 && ' · '}
          <a href={`/api/campaigns/csv-template?type=${t.type}`} download>
            {t.label}
          </a>{' '}
          <span className="muted">({t.detail})</span>
        </span>
      ))}
    </p>
  );
}
