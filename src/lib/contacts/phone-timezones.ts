import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * NANP area codes whose whole territory keeps one zone's clock. Checked against libphonenumber's
 * prefix→zone statistics (which mislabel a few new overlays, e.g. 437, 474, 689) and local rules.
 * Left out, so inferTimezone says null: codes split between zones, and their overlays —
 * 208/986, 219, 250/236/672/778/257, 270/364, 308, 423, 541/458, 574, 605, 606, 620, 701,
 * 709/879, 785, 807, 812/930, 850/448, 867, 906, 928 (Navajo Nation keeps DST) — plus
 * non-geographic codes (8XX toll-free, 5XX, 900). Accepted small exceptions (≈1% or less of a
 * code's subscribers): 907 Adak/Atka, 306/639/474 Lloydminster, 775 West Wendover,
 * 418/581/367 Magdalen Islands and the Lower North Shore.
 */
const NANP_ZONES: Record<string, string> = {
  'America/New_York': `
    201 202 203 207 212 215 216 220 223 227 229 231 234 239 240 248 252 260 267 269 272 276 283
    301 302 304 305 313 315 317 321 326 329 330 332 336 339 347 351 352 363 380 386 401 404 407
    410 412 413 419 434 440 443 445 463 470 472 475 478 484 502 508 513 516 517 518 540 551 561
    567 570 571 582 585 586 603 607 609 610 614 616 617 631 640 645 646 656 667 678 680 681 686
    689 703 704 706 716 717 718 724 727 732 734 740 743 754 757 762 765 770 771 772 774 781 786
    802 803 804 810 813 814 826 828 835 838 839 843 845 848 854 856 857 859 860 862 863 864 865
    878 904 908 910 912 914 917 919 929 934 937 941 943 947 948 954 959 973 978 980 984 989`,
  'America/Chicago': `
    205 210 214 217 218 224 225 228 235 251 254 256 262 274 281 309 312 314 316 318 319 320 325
    331 334 337 346 353 361 402 405 409 414 417 430 432 447 464 469 479 501 504 507 512 515 531
    534 539 563 572 573 580 601 608 612 615 618 629 630 636 641 651 659 660 662 682 708 712 713
    715 726 730 731 737 763 769 773 779 806 815 816 817 830 832 847 870 872 901 903 913 918 920
    931 936 938 940 945 952 956 972 979 985`,
  'America/Denver': '303 307 385 406 435 505 575 719 720 801 915 970 983',
  'America/Phoenix': '480 520 602 623',
  'America/Los_Angeles': `
    206 209 213 253 279 310 323 341 350 357 360 369 408 415 424 425 442 503 509 510 530 559 562
    564 619 626 628 650 657 661 669 702 707 714 725 747 760 775 805 818 820 831 840 858 909 916
    925 949 951 971`,
  'America/Anchorage': '907',
  'Pacific/Honolulu': '808',
  'America/Toronto': `
    226 249 263 289 343 354 365 367 382 416 418 437 438 450 468 514 519 548 579 581 613 647 683
    705 742 753 819 873 905`,
  'America/Winnipeg': '204 431 584',
  'America/Regina': '306 474 639',
  'America/Edmonton': '368 403 587 780 825',
  'America/Vancouver': '604',
  'America/Halifax': '428 506 782 902',
  'America/Puerto_Rico': '787 939',
  'America/St_Thomas': '340',
  'Pacific/Guam': '671',
  'Pacific/Saipan': '670',
  'Pacific/Pago_Pago': '684',
  'America/Nassau': '242',
  'America/Barbados': '246',
  'America/Anguilla': '264',
  'America/Antigua': '268',
  'America/Tortola': '284',
  'America/Cayman': '345',
  'Atlantic/Bermuda': '441',
  'America/Grenada': '473',
  'America/Grand_Turk': '649',
  'America/Jamaica': '658 876',
  'America/Montserrat': '664',
  'America/Lower_Princes': '721',
  'America/St_Lucia': '758',
  'America/Dominica': '767',
  'America/St_Vincent': '784',
  'America/Santo_Domingo': '809 829 849',
  'America/Port_of_Spain': '868',
  'America/St_Kitts': '869',
};

const zoneByAreaCode = new Map<string, string>();
for (const [zone, codes] of Object.entries(NANP_ZONES)) {
  for (const code of codes.trim().split(/\s+/)) zoneByAreaCode.set(code, zone);
}

/** Countries (as libphonenumber names the number's owner) that keep one clock everywhere. */
const COUNTRY_ZONES: Partial<Record<CountryCode, string>> = {
  GB: 'Europe/London',
  GG: 'Europe/Guernsey',
  JE: 'Europe/Jersey',
  IM: 'Europe/Isle_of_Man',
  IE: 'Europe/Dublin',
  FR: 'Europe/Paris',
  MC: 'Europe/Monaco',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  VA: 'Europe/Vatican',
  SM: 'Europe/San_Marino',
  NL: 'Europe/Amsterdam',
  BE: 'Europe/Brussels',
  LU: 'Europe/Luxembourg',
  CH: 'Europe/Zurich',
  LI: 'Europe/Vaduz',
  AT: 'Europe/Vienna',
  SE: 'Europe/Stockholm',
  NO: 'Europe/Oslo',
  DK: 'Europe/Copenhagen',
  FI: 'Europe/Helsinki',
  AX: 'Europe/Mariehamn',
  IS: 'Atlantic/Reykjavik',
  PL: 'Europe/Warsaw',
  PT: 'Europe/Lisbon',
  CZ: 'Europe/Prague',
  SK: 'Europe/Bratislava',
  HU: 'Europe/Budapest',
  SI: 'Europe/Ljubljana',
  HR: 'Europe/Zagreb',
  RS: 'Europe/Belgrade',
  RO: 'Europe/Bucharest',
  BG: 'Europe/Sofia',
  GR: 'Europe/Athens',
  MT: 'Europe/Malta',
  EE: 'Europe/Tallinn',
  LV: 'Europe/Riga',
  LT: 'Europe/Vilnius',
  TR: 'Europe/Istanbul',
  IL: 'Asia/Jerusalem',
  AE: 'Asia/Dubai',
  SA: 'Asia/Riyadh',
  QA: 'Asia/Qatar',
  IN: 'Asia/Kolkata',
  PK: 'Asia/Karachi',
  LK: 'Asia/Colombo',
  BD: 'Asia/Dhaka',
  NP: 'Asia/Kathmandu',
  CN: 'Asia/Shanghai',
  HK: 'Asia/Hong_Kong',
  MO: 'Asia/Macau',
  TW: 'Asia/Taipei',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  SG: 'Asia/Singapore',
  MY: 'Asia/Kuala_Lumpur',
  TH: 'Asia/Bangkok',
  VN: 'Asia/Ho_Chi_Minh',
  PH: 'Asia/Manila',
  NZ: 'Pacific/Auckland',
  ZA: 'Africa/Johannesburg',
  NG: 'Africa/Lagos',
  KE: 'Africa/Nairobi',
  GH: 'Africa/Accra',
  EG: 'Africa/Cairo',
  MA: 'Africa/Casablanca',
  CO: 'America/Bogota',
  PE: 'America/Lima',
  AR: 'America/Argentina/Buenos_Aires',
  UY: 'America/Montevideo',
  CR: 'America/Costa_Rica',
  PA: 'America/Panama',
  GT: 'America/Guatemala',
};

const E164 = /^\+[1-9]\d{6,14}$/;
// Spain and Portugal count as one zone, but their island landlines are recognisable.
const CANARY_LANDLINE = /^\+34[89]2[28]/;
const AZORES_LANDLINE = /^\+3512(?:92|95|96)/;

/** IANA zone a number most likely lives in: NANP by area code (US + Canada), single-zone countries by country; null when unknown or ambiguous. */
export function inferTimezone(e164: string): string | null {
  if (typeof e164 !== 'string' || !E164.test(e164)) return null;
  if (e164.startsWith('+1')) {
    return e164.length === 12 ? (zoneByAreaCode.get(e164.slice(2, 5)) ?? null) : null;
  }
  if (CANARY_LANDLINE.test(e164)) return 'Atlantic/Canary';
  if (AZORES_LANDLINE.test(e164)) return 'Atlantic/Azores';
  const country = parsePhoneNumberFromString(e164)?.country;
  return (country && COUNTRY_ZONES[country]) || null;
}
