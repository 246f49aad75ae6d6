// The stemmer alone: loading all of `natural` pulls in ESM-only data packages and dotenv.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PorterStemmerRu = require('natural/lib/natural/stemmers/porter_stemmer_ru') as { stem(word: string): string };
