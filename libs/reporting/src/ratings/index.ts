// Named, not `export *`: the formula's small helpers (rounding, titles) stay private to ratings/.
export { leagueTable, formulaText, RATING_SECTIONS } from './rating-formula';
export type { ComponentScores, LeagueGroup, LeagueRow, PeerGroup, RatedFigures, RatingSection, SectionFigures } from './rating-formula';
export { ratingsCsv, ratingsXlsx } from './ratings-files';
export { RatingsReportService } from './ratings-report.service';
export type { RatingPeriodView, RatingsQuery, RatingsTable } from './ratings-report.service';
export { RatingsFileQueryDto, RatingsQueryDto, RatingsReportController } from './ratings-report.controller';
export { RatingsReportModule } from './ratings-report.module';
