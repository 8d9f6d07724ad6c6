/**
 * Franchise-development domain values (reference §7): the pipeline stages of a
 * real CT franchise tenant, lead sources, markets and people for realistic data.
 */

/** [name, likelihood_to_close, relative share of clients]; index + 1 = sales_cycle_order. */
export const STAGES: ReadonlyArray<readonly [string, number, number]> = [
  ['New Lead', 0, 22],
  ['Outbound Call', 5, 12],
  ['Inbound Contact', 8, 9],
  ['Initial Call Scheduled', 10, 8],
  ['Initial Call Complete', 15, 7],
  ['QR Sent', 18, 6],
  ['QR Returned', 20, 5],
  ['FDD Sent', 30, 6],
  ['FDD Signed', 40, 4],
  ['FDD Review Call Scheduled', 45, 3],
  ['FDD Review Call Complete', 50, 3],
  ['Deal Structure', 55, 2],
  ['Discovery Day Booked', 58, 2],
  ['Discovery Day Completed', 60, 1.5],
  ['FA Requested', 75, 1],
  ['FA Sent', 85, 0.8],
  ['FA Signed', 100, 0.7],
  ['Future Interest', 5, 6],
];
export const NEW_LEAD = 0;
export const FA_SIGNED = STAGES.findIndex(([name]) => name === 'FA Signed');
export const FUTURE_INTEREST = STAGES.findIndex(([name]) => name === 'Future Interest');
/** Clients in New Lead carry a blank clients_sales_cycle (reference §6.1). */
export const stageLabel = (stage: number) => (stage === NEW_LEAD ? '' : (STAGES[stage]?.[0] ?? ''));

export const LEAD_SOURCES = [
  'Website Form',
  'Google Ads',
  'Facebook',
  'LinkedIn',
  'Referral',
  'FBR',
  'Franchise Gator',
  'IFPG Broker',
  '2024 - Houston Franchise Show',
  'National Franchise Show - Tampa',
  'Unknown',
] as const;
export const LEAD_SOURCE_WEIGHTS = [22, 20, 18, 8, 8, 6, 7, 5, 3, 3, 5];

export const ACTION_PLAN_GROUPS = [
  ['Franchise Lead Nurture', 'New Lead Welcome Sequence'],
  ['FDD Follow-Up', 'Discovery Day Prep'],
  ['Re-Engagement - Future Interest', 'Franchise Show Follow-Up'],
] as const;

/** The action plan a franchise team would run for a stage ('' = none). */
export function planForStage(stage: number, roll: number): string {
  if (roll < 0.3) return '';
  if (stage === FUTURE_INTEREST) return 'Re-Engagement - Future Interest';
  if (stage >= 12) return 'Discovery Day Prep';
  if (stage >= 7) return 'FDD Follow-Up';
  return roll < 0.7 ? 'Franchise Lead Nurture' : 'New Lead Welcome Sequence';
}

/** compName (the franchise "market"), short label for opportunity names, city, state, zip prefix, area code. */
export const MARKETS: ReadonlyArray<readonly [string, string, string, string, string, string]> = [
  ['Middle Tennessee', 'Middle TN', 'Nashville', 'TN', '372', '615'],
  ['East Tennessee', 'East TN', 'Knoxville', 'TN', '379', '865'],
  ['Greater Houston', 'Houston', 'Houston', 'TX', '770', '713'],
  ['Dallas-Fort Worth', 'DFW', 'Dallas', 'TX', '752', '214'],
  ['Austin Metro', 'Austin', 'Austin', 'TX', '787', '512'],
  ['San Antonio', 'San Antonio', 'San Antonio', 'TX', '782', '210'],
  ['Metro Atlanta', 'Atlanta', 'Atlanta', 'GA', '303', '404'],
  ['Tampa Bay', 'Tampa Bay', 'Tampa', 'FL', '336', '813'],
  ['South Florida', 'South FL', 'Miami', 'FL', '331', '305'],
  ['Central Florida', 'Central FL', 'Orlando', 'FL', '328', '407'],
  ['Charlotte Metro', 'Charlotte', 'Charlotte', 'NC', '282', '704'],
  ['Research Triangle', 'Triangle NC', 'Raleigh', 'NC', '276', '919'],
  ['Greater Phoenix', 'Phoenix', 'Phoenix', 'AZ', '850', '602'],
  ['Denver Metro', 'Denver', 'Denver', 'CO', '802', '303'],
  ['Northern Virginia', 'NoVA', 'Arlington', 'VA', '222', '703'],
  ['Greater Boston', 'Boston', 'Boston', 'MA', '021', '617'],
  ['Chicagoland', 'Chicago', 'Chicago', 'IL', '606', '312'],
  ['Twin Cities', 'Twin Cities', 'Minneapolis', 'MN', '554', '612'],
  ['Greater Columbus', 'Columbus', 'Columbus', 'OH', '432', '614'],
  ['Indianapolis Metro', 'Indy', 'Indianapolis', 'IN', '462', '317'],
  ['Kansas City Metro', 'KC', 'Kansas City', 'MO', '641', '816'],
  ['Salt Lake Valley', 'SLC', 'Salt Lake City', 'UT', '841', '801'],
  ['Las Vegas Valley', 'Las Vegas', 'Las Vegas', 'NV', '891', '702'],
  ['Puget Sound', 'Seattle', 'Seattle', 'WA', '981', '206'],
  ['San Diego County', 'San Diego', 'San Diego', 'CA', '921', '619'],
  ['Greater Philadelphia', 'Philly', 'Philadelphia', 'PA', '191', '215'],
  ['Greater Birmingham', 'Birmingham', 'Birmingham', 'AL', '352', '205'],
  ['Oklahoma City Metro', 'OKC', 'Oklahoma City', 'OK', '731', '405'],
  ['Louisville Metro', 'Louisville', 'Louisville', 'KY', '402', '502'],
  ['Greater Richmond', 'Richmond', 'Richmond', 'VA', '232', '804'],
];

export const FIRST_NAMES = (
  'Dana Alex Jordan Taylor Morgan Chris Jamie Casey Riley Avery Michael Sarah ' +
  'David Jennifer James Jessica Robert Ashley John Emily Daniel Amanda Matthew ' +
  'Melissa Anthony Nicole Marcus Stephanie Kevin Rachel Brian Lauren Jason Megan ' +
  'Ryan Heather Eric Priya Carlos Maria Andre Keisha Wei Linh Omar Fatima Tyler ' +
  'Brooke Derek Tanya'
).split(' ');
export const LAST_NAMES = (
  'Whitfield Moreno Johnson Williams Brown Garcia Miller Davis Rodriguez Martinez ' +
  'Anderson Thomas Jackson White Harris Martin Thompson Lee Walker Hall Allen ' +
  'Young King Wright Scott Green Baker Adams Nelson Carter Mitchell Perez Roberts ' +
  'Turner Phillips Campbell Parker Evans Collins Patel Nguyen Kim Okafor Sullivan ' +
  "Brennan O'Neil Reyes Foster Hayes Bishop"
).split(' ');
export const STREETS = (
  'Elm St|Oak Ave|Maple Dr|Cedar Ln|Main St|Park Blvd|Lakeview Dr|Highland Ave|' +
  'Church St|Washington St|Ridge Rd|Willow Way|Magnolia Ct|Peachtree Rd|' +
  'Mill Creek Rd'
).split('|');
export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];

export const BACKGROUNDS = (
  'corporate sales director|retired Army officer|restaurant GM|IT consultant|' +
  'registered nurse|multi-unit operator|commercial real estate broker|' +
  'high-school teacher|pharma rep|small-business owner'
).split('|');
export const NOTE_TEXTS: Record<string, readonly string[]> = {
  note: [
    'Intro call done; sending FDD.',
    'Validation calls set up with three franchisees.',
    'Reviewed the territory map together.',
    'Asked about SBA financing; sent lender list.',
    'Spouse will join the next call.',
  ],
  call: ['Left voicemail.', 'Spoke 20 min; strong interest.', 'No answer; will text.'],
  email: ['Sent FDD receipt reminder.', 'Emailed Discovery Day agenda.', 'Sent QR link.'],
  text: ['Confirmed call time by text.', 'Texted the Zoom link.'],
};
export const EVENT_TITLES =
  'Initial Call|FDD Review Call|Discovery Day|Validation Call|Follow-Up Call|Territory Review'.split(
    '|',
  );
export const EVENT_PLACES = ['Zoom', 'Phone', 'Google Meet', 'HQ visit'];
