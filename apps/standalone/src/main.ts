import '../../../libs/platform/src/preamble';
import { main } from '@cur/runtime';
import { STANDALONE } from './standalone.composition';

main(STANDALONE);
