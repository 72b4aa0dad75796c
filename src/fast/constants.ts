/** Numbers and pepper strings of RFC 6113 FAST. */

/** armor-type values (RFC 6113 5.4.1, IANA "FAST Armor Types"). */
export const ArmorType = {
  /** FX_FAST_ARMOR_AP_REQUEST: an AP-REQ for a TGT, armor key from its subkey and session key. */
  AP_REQUEST: 1,
} as const;

/** KRB-FX-CF2 pepper strings RFC 6113 names (5.4.1.1, 5.4.3, 6.5). */
export const FastPepper = {
  SubkeyArmor: 'subkeyarmor',
  TicketArmor: 'ticketarmor',
  StrengthenKey: 'strengthenkey',
  ReplyKey: 'replykey',
  ClientChallengeArmor: 'clientchallengearmor',
  KdcChallengeArmor: 'kdcchallengearmor',
  ChallengeLongTerm: 'challengelongterm',
  /** Explicit armor in a TGS request (compound identity, MS-KILE 3.3.5.7.4), with the TGS subkey. */
  ExplicitArmor: 'explicitarmor',
  TgsArmor: 'tgsarmor',
  /** RFC 6112 5: PA-PKINIT-KX key-expansion check in anonymous PKINIT under FAST. */
  AnonymousPkinitArmor: 'anonymous pkinit armor',
} as const;
