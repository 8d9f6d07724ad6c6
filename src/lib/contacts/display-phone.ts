import { getCountryCallingCode } from 'libphonenumber-js';
import { formatPhone, isPhoneRegion } from './phone';

/**
 * How a list shows a number: national form when it belongs to the workspace's
 * region (calling codes are prefix-free, so "+1…" is home for US and CA
 * alike), international otherwise.
 */
export function displayPhone(e164: string, region: string): string {
  const home = isPhoneRegion(region) ? `+${getCountryCallingCode(region)}` : null;
  return formatPhone(e164, home && e164.startsWith(home) ? 'national' : 'international');
}
