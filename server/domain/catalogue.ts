/**
 * The default indicator catalogue and domain shares of SPEC section 3, used for the demo contract years and
 * as the starting point when an admin creates a contract year. Targets and lower thresholds are basis points.
 */
export type DomainCode = 'DM' | 'CVD' | 'COPD' | 'IMM' | 'EOL' | 'DA';

export interface CatalogueIndicator {
  code: string;
  domain: DomainCode;
  title: string;
  numeratorLabel: string;
  denominatorLabel: string;
  targetBp: number;
  lowerBp: number | null;
  mode: 'threshold' | 'sliding';
  weight: number;
}

export const DOMAIN_NAMES: Record<DomainCode, string> = {
  DM: 'Diabetes',
  CVD: 'Cardiovascular disease',
  COPD: 'COPD',
  IMM: 'Immunisation',
  EOL: 'End-of-life care',
  DA: 'Drug and alcohol',
};

/** Default shares of the retrospective payment, in basis points; they add up to 10000. */
export const DEFAULT_DOMAIN_SHARES_BP: Record<DomainCode, number> = {
  DM: 2000,
  CVD: 2000,
  IMM: 2000,
  COPD: 1500,
  DA: 1500,
  EOL: 1000,
};

export const DEFAULT_RETROSPECTIVE_SHARE_BP = 3000;

function ind(
  code: string,
  domain: DomainCode,
  title: string,
  numeratorLabel: string,
  denominatorLabel: string,
  targetPct: number,
  lowerPct: number,
): CatalogueIndicator {
  return {
    code,
    domain,
    title,
    numeratorLabel,
    denominatorLabel,
    targetBp: targetPct * 100,
    lowerBp: lowerPct * 100,
    mode: 'threshold',
    weight: 1,
  };
}

export const DEFAULT_CATALOGUE: readonly CatalogueIndicator[] = [
  ind('DM-CP', 'DM', 'Diabetes care plan', 'Care plan completed in last 12 months', 'Diabetes register', 85, 70),
  ind('DM-HBA1C', 'DM', 'Diabetes HbA1c ≤ 58 mmol/mol', 'Last HbA1c ≤ 58 mmol/mol', 'Diabetes register', 65, 45),
  ind('DM-BP', 'DM', 'Diabetes BP ≤ 140/80', 'Last BP ≤ 140/80', 'Diabetes register', 70, 50),
  ind(
    'DM-CHOL',
    'DM',
    'Diabetes cholesterol ≤ 4 mmol/L',
    'Last total cholesterol ≤ 4 mmol/L',
    'Diabetes register',
    60,
    40,
  ),
  ind(
    'DM-RET',
    'DM',
    'Diabetic retinal screening',
    'Retinal screening attended in 12 months',
    'Diabetes register',
    85,
    75,
  ),
  ind('CVD-HYP-BP', 'CVD', 'Hypertension BP ≤ 140/90', 'Last BP ≤ 140/90', 'Hypertension register aged ≤ 79', 80, 60),
  ind(
    'CVD-SEC-BP',
    'CVD',
    'CHD or stroke BP ≤ 140/90',
    'Last BP ≤ 140/90',
    'CHD or stroke/TIA register aged ≤ 79',
    80,
    60,
  ),
  ind(
    'CVD-STATIN',
    'CVD',
    'Statin in secondary prevention',
    'On statin or other lipid-lowering therapy',
    'CHD, stroke/TIA or PAD register',
    90,
    75,
  ),
  ind('CVD-AF-OAC', 'CVD', 'AF anticoagulation', 'Anticoagulated', 'AF register with CHA₂DS₂-VASc ≥ 2', 90, 75),
  ind('COPD-CP', 'COPD', 'COPD annual review', 'Annual review with MRC score', 'COPD register', 85, 70),
  ind(
    'COPD-PR',
    'COPD',
    'Pulmonary rehabilitation referral',
    'Referred to pulmonary rehabilitation',
    'COPD register with MRC ≥ 3',
    70,
    50,
  ),
  ind('COPD-FLU', 'COPD', 'COPD flu vaccination', 'Flu vaccine 1 Sep–31 Mar', 'COPD register', 85, 75),
  ind(
    'COPD-SPIRO',
    'COPD',
    'COPD confirmed by spirometry',
    'Diagnosis confirmed by spirometry',
    'COPD diagnosed in last 12 months',
    90,
    70,
  ),
  ind(
    'IMM-DTAP-12M',
    'IMM',
    'DTaP/IPV/Hib/HepB at 12 months',
    '3 doses by 1st birthday',
    'Children reaching 1st birthday',
    95,
    90,
  ),
  ind('IMM-MMR1-24M', 'IMM', 'MMR1 at 24 months', 'MMR1 by 2nd birthday', 'Children reaching 2nd birthday', 95, 90),
  ind(
    'IMM-PSB-5Y',
    'IMM',
    'Pre-school booster and MMR2 at 5 years',
    'Pre-school booster and 2 MMR by 5th birthday',
    'Children reaching 5th birthday',
    95,
    85,
  ),
  ind(
    'EOL-REG',
    'EOL',
    'Deaths on the palliative care register',
    'Deaths that were on the palliative care register',
    'All deaths',
    50,
    30,
  ),
  ind(
    'EOL-PPD-REC',
    'EOL',
    'Preferred place of death recorded',
    'Preferred place of death recorded',
    'Palliative care register',
    80,
    60,
  ),
  ind(
    'EOL-PPD-MET',
    'EOL',
    'Died in preferred place',
    'Died in preferred place',
    'Deaths with a preferred place recorded',
    70,
    55,
  ),
  ind(
    'DA-NEWREG',
    'DA',
    'AUDIT-C for new registrants',
    'Screened with AUDIT-C within 3 months',
    'New registrants aged 16+',
    80,
    60,
  ),
  ind(
    'DA-BI',
    'DA',
    'Alcohol brief intervention',
    'Brief intervention after positive AUDIT-C',
    'Positive AUDIT-C screens',
    90,
    70,
  ),
  ind(
    'DA-REF',
    'DA',
    'Referral for possible dependence',
    'Referred to specialist service',
    'Possible dependence (AUDIT ≥ 20)',
    90,
    70,
  ),
];

/**
 * QOF indicator codes that stand for a catalogue indicator, so the NHS Digital QOF achievement file can be
 * uploaded. A starting set for the demo years only: the admin keeps the real table for each contract year,
 * checked against that year's QOF business rules, because QOF renumbers indicators between years.
 */
export const DEFAULT_QOF_ALIASES: Readonly<Record<string, string>> = {
  DM033: 'DM-HBA1C',
  DM036: 'DM-BP',
  HYP008: 'CVD-HYP-BP',
  AF008: 'CVD-AF-OAC',
};
