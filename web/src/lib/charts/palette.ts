/**
 * Colours chosen to stay distinguishable for the common colour-vision deficiencies (blue against orange,
 * never red against green), always paired with a shape or a text mark so colour is never the only cue.
 */
export const COLOURS = {
  met: '#005eb8',
  notMet: '#e87722',
  notApplicable: '#aeb7bd',
  network: '#212b32',
  target: '#007f3b',
  lower: '#768692',
  limit95: '#4c6272',
  limit998: '#212b32',
  common: '#768692',
  improvement: '#005eb8',
  concern: '#e87722',
  neither: '#7c2855',
  practice: '#005eb8',
  incomplete: '#aeb7bd',
  interval: '#212b32',
  mean: '#330072',
  highlight: '#ffb81c',
  otherNetworks: '#c4ccd1',
} as const;

export type PointShape = 'circle' | 'triangle' | 'rectRot' | 'rect' | 'crossRot';

/** Shapes that say the same thing as the colours. */
export const SHAPES = {
  high: 'triangle',
  low: 'rectRot',
  none: 'circle',
  neither: 'rect',
  incomplete: 'crossRot',
} as const satisfies Record<string, PointShape>;

export const percent = (value: number | string) => `${Number(value).toFixed(0)}%`;
