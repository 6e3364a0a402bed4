import { first } from './config';

export const second = first;
