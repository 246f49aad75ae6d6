import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DURATION_UNITS, DurationUnit } from '@cur/calendar';
import { CHANNELS, CLOCK_STARTS, ClockStart, IMPORTANCES, MESSAGE_STATUSES, MessageStatus, RatingComponent } from '@cur/domain';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const ID = /^[a-z0-9][a-z0-9-]*$/;

export class DurationFile {
  @IsInt()
  @Min(0)
  @Max(10_000)
  amount!: number;

  @IsIn(DURATION_UNITS)
  unit!: DurationUnit;
}

class DayHoursFile {
  @Matches(TIME, { message: 'opensAt must be HH:MM' })
  opensAt!: string;

  @Matches(TIME, { message: 'closesAt must be HH:MM' })
  closesAt!: string;
}

/** Office hours: the ordinary day, the weekdays worked (default Monday–Friday), other hours on some weekdays. */
export class OfficeHoursFile extends DayHoursFile {
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  weekdays?: number[];

  @IsOptional()
  @IsObject()
  byWeekday?: Record<string, DayHoursFile>;

  /** How much earlier a pre-holiday day closes (ТК ст. 95: one hour). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  shortenedByMinutes?: number;
}

/** How day and hour terms are counted; see DeadlineSemantics in libs/calendar. */
class DeadlineRulesFile {
  @IsOptional()
  @IsIn(['office_close', 'end_of_day'])
  dayTermEndsAt?: 'office_close' | 'end_of_day';

  @IsOptional()
  @IsBoolean()
  workingDaysCountStartDay?: boolean;

  @IsOptional()
  @IsBoolean()
  calendarDaysRollForward?: boolean;

  /** A date in a year without a production calendar: refuse (default), or count by the Labour Code and warn. */
  @IsOptional()
  @IsIn(['refuse', 'labour-code'])
  missingCalendarYear?: 'refuse' | 'labour-code';
}

/** How an organization answers. */
class WorkflowFile {
  /** An executor's answer goes to the head for approval before it is sent (a head answers directly). */
  @IsOptional()
  @IsBoolean()
  answerApproval?: boolean;

  /** A rating at or below this (1–5) flags the answer for ЦУР's re-consideration review. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  lowRatingAtMost?: number;
}

class EngagementThemeFile {
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'id must be lower-case latin letters, digits and hyphens' })
  id!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;
}

class EngagementTimingFile {
  /** Working days from closing to publishing the result. */
  @IsInt({ message: 'resultWorkingDays must be a whole number of working days, 1..60' })
  @Min(1)
  @Max(60)
  resultWorkingDays!: number;

  /** Working days from publishing the result to recording what was done about it. */
  @IsInt({ message: 'decisionWorkingDays must be a whole number of working days, 1..120' })
  @Min(1)
  @Max(120)
  decisionWorkingDays!: number;
}

/** Discussions, votes and surveys: the approved themes (order No. 733, item 2.3) and their timing (item 4). */
class EngagementsFile {
  @IsOptional()
  @IsString()
  $comment?: string;

  @IsArray()
  @ArrayNotEmpty({ message: 'themes must list at least one theme' })
  @ValidateNested({ each: true })
  @Type(() => EngagementThemeFile)
  themes!: EngagementThemeFile[];

  @IsOptional()
  @ValidateNested()
  @Type(() => EngagementTimingFile)
  discussion?: EngagementTimingFile;

  @IsOptional()
  @ValidateNested()
  @Type(() => EngagementTimingFile)
  vote?: EngagementTimingFile;

  @IsOptional()
  @ValidateNested()
  @Type(() => EngagementTimingFile)
  survey?: EngagementTimingFile;

  /** Reports that hide a comment until a moderator looks at it (default 3). */
  @IsOptional()
  @IsInt({ message: 'hideCommentAfterReports must be a whole number, 1..100' })
  @Min(1)
  @Max(100)
  hideCommentAfterReports?: number;
}

/** Similar messages the card suggests as duplicates (GET /messages/:id/similar). */
class DuplicatesFile {
  /** Candidates received at most this many days before or after the message (default 14). */
  @IsOptional()
  @IsInt({ message: 'windowDays must be a whole number of days, 1..365' })
  @Min(1)
  @Max(365)
  windowDays?: number;

  /** The least pg_trgm similarity of the texts, 0..1, for a message to be suggested (default 0.3). */
  @IsOptional()
  @IsNumber()
  @Min(0.05)
  @Max(1)
  minSimilarity?: number;
}

class ClassifierFile {
  /** Keyword classifier (the fallback when no learned model is loaded). */
  @IsNumber()
  @Min(0)
  minScore!: number;

  @IsNumber()
  @Min(0)
  @Max(1)
  minMargin!: number;

  /** Precision each category's automatic routing must reach on validation data (default 0.95). */
  @IsOptional()
  @IsNumber()
  @Min(0.5)
  @Max(1)
  targetPrecision?: number;

  /** Share of operator corrections held back to judge retrained models (default 0.2). */
  @IsOptional()
  @IsNumber()
  @Min(0.05)
  @Max(0.5)
  holdoutShare?: number;

  /** A retrained model is activated automatically only when judged on at least this many held-back corrections (default 10). */
  @IsOptional()
  @IsInt()
  @Min(1)
  minHoldoutForActivation?: number;

  /** When the nightly retraining runs, cron syntax in the region's time zone (default "0 3 * * *"). */
  @IsOptional()
  @IsString()
  @Matches(/^(\S+\s+){4}\S+$/, { message: 'retrainCron must be a five-field cron expression' })
  retrainCron?: string;
}

/** Project-written phrasings per category code: the seed of the bootstrap classifier. */
export class ClassifierSeedFile {
  @IsOptional()
  @IsString()
  $comment?: string;

  @IsObject()
  examples!: Record<string, string[]>;
}

/** Relative weights of the ratings index's components (libs/reporting/src/ratings/README.md). */
class RatingWeightsFile implements Record<RatingComponent, number> {
  @IsNumber() @Min(0) @Max(100) onTime!: number;
  @IsNumber() @Min(0) @Max(100) overdue!: number;
  @IsNumber() @Min(0) @Max(100) reconsiderations!: number;
  @IsNumber() @Min(0) @Max(100) ratingMean!: number;
  @IsNumber() @Min(0) @Max(100) highRatings!: number;
  @IsNumber() @Min(0) @Max(100) timeToAnswer!: number;
}

class RatingTargetsFile {
  /** Median time to answer of portal messages and appeals, working days. */
  @IsInt()
  @Min(1)
  @Max(60)
  answerWithinWorkingDays!: number;

  /** Median time to answer of public messages, working hours; absent: no time component for them. */
  @IsOptional()
  @IsNumber()
  @Min(0.5)
  @Max(200)
  answerWithinWorkingHours?: number;

  @IsNumber()
  @Min(0.01)
  @Max(1)
  highRatingShareAtLeast!: number;
}

/** Municipalities whose territory's population is in [min, max). */
class PopulationBandFile {
  @Matches(ID, { message: 'id must be lower-case latin letters, digits and hyphens' })
  id!: string;

  @IsString()
  @IsNotEmpty()
  title!: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  min?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  max?: number;
}

/** The organizations' league table: the index's weights, the federal targets, the minimum sample, peer groups. */
export class RatingsFile {
  @IsOptional()
  @IsString()
  $comment?: string;

  @ValidateNested()
  @Type(() => RatingWeightsFile)
  weights!: RatingWeightsFile;

  @ValidateNested()
  @Type(() => RatingTargetsFile)
  targets!: RatingTargetsFile;

  @IsInt()
  @Min(1)
  @Max(100_000)
  minSample!: number;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PopulationBandFile)
  populationBands!: PopulationBandFile[];
}

export class RegionFile {
  @IsString()
  @IsNotEmpty()
  code!: string;

  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsString()
  timezone!: string;

  @Matches(/^[+-]\d{2}:\d{2}$/, { message: 'utcOffset must look like +03:00' })
  utcOffset!: string;

  @ValidateNested()
  @Type(() => OfficeHoursFile)
  officeHours!: OfficeHoursFile;

  @IsOptional()
  @ValidateNested()
  @Type(() => DeadlineRulesFile)
  deadlineRules?: DeadlineRulesFile;

  @IsString()
  coordinatorOrganizationId!: string;

  @Matches(/^[a-z]+$/)
  calendar!: string;

  @ValidateNested()
  @Type(() => ClassifierFile)
  classifier!: ClassifierFile;

  @IsOptional()
  @ValidateNested()
  @Type(() => WorkflowFile)
  workflow?: WorkflowFile;

  @IsOptional()
  @ValidateNested()
  @Type(() => DuplicatesFile)
  duplicates?: DuplicatesFile;

  @IsObject({ message: 'engagements must be an object: themes, timing per kind' })
  @ValidateNested()
  @Type(() => EngagementsFile)
  engagements!: EngagementsFile;

  @IsObject({ message: 'ratings must be an object: weights, targets, minSample, populationBands' })
  @ValidateNested()
  @Type(() => RatingsFile)
  ratings!: RatingsFile;
}

class TerritoryFile {
  @Matches(ID, { message: 'id must be lower-case latin letters, digits and hyphens' })
  id!: string;

  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsIn(['city_district', 'municipal_district'])
  kind!: 'city_district' | 'municipal_district';

  @IsOptional()
  @Matches(/^\d{8}(\d{3})?$/, { message: 'oktmo must be 8 or 11 digits' })
  oktmo?: string;

  /** Resident population (soft data), for the ratings' population bands. */
  @IsOptional()
  @IsInt()
  @Min(0)
  population?: number;

  @IsArray()
  @IsString({ each: true })
  aliases: string[] = [];
}

export class TerritoriesFile {
  @IsOptional()
  @IsString()
  $comment?: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TerritoryFile)
  territories!: TerritoryFile[];
}

class OrganizationFile {
  @Matches(ID, { message: 'id must be lower-case latin letters, digits and hyphens' })
  id!: string;

  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsIn(['cur', 'executive_body', 'institution', 'municipality'])
  kind!: 'cur' | 'executive_body' | 'institution' | 'municipality';

  @IsOptional()
  @IsString()
  parentId?: string;

  @IsOptional()
  @IsString()
  territoryId?: string;

  @IsArray()
  @IsString({ each: true })
  aliases: string[] = [];

  /** The organization's own office hours; default: the region's. */
  @IsOptional()
  @ValidateNested()
  @Type(() => OfficeHoursFile)
  officeHours?: OfficeHoursFile;
}

export class OrganizationsFile {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OrganizationFile)
  organizations!: OrganizationFile[];
}

class CategoryFile {
  @Matches(/^[a-z0-9][a-z0-9._-]*$/, { message: 'code must be lower-case latin letters, digits, dots, hyphens' })
  code!: string;

  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsIn(['pos', 'im'])
  rubricator!: 'pos' | 'im';

  @IsOptional()
  @IsString()
  group?: string;

  @IsArray()
  @IsString({ each: true })
  keywords: string[] = [];

}

export class RubricatorFile {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CategoryFile)
  categories!: CategoryFile[];
}

class RoutingRuleFile {
  @IsString()
  @IsNotEmpty()
  id!: string;

  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  categories: string[] = [];

  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  groups: string[] = [];

  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  territories: string[] = [];

  @IsString()
  organization!: string;
}

export class RoutingRulesFile {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RoutingRuleFile)
  rules!: RoutingRuleFile[];
}

class CalendarDayFile {
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date!: string;

  @IsIn(['holiday', 'day_off', 'shortened', 'working_weekend'])
  kind!: 'holiday' | 'day_off' | 'shortened' | 'working_weekend';

  @IsOptional()
  @IsString()
  name?: string;
}

class CalendarTotalsFile {
  @IsInt()
  workingDays!: number;

  @IsInt()
  nonWorkingDays!: number;

  @IsInt()
  shortenedDays!: number;

  @IsInt()
  hours40hWeek!: number;
}

export class CalendarFile {
  @Matches(/^[A-Z]{2}$/)
  country!: string;

  /** The decree's yearly totals; the loader checks the days against them. */
  @ValidateNested()
  @Type(() => CalendarTotalsFile)
  totals!: CalendarTotalsFile;

  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CalendarDayFile)
  days!: CalendarDayFile[];
}

class ClockRuleFile extends DurationFile {
  @IsIn(CLOCK_STARTS)
  startsAt!: ClockStart;
}

/** One rule per clock kind (registration, moderation, first_reaction, interim_answer, redirect, final_answer). */
export class ClockRulesFile {
  @IsOptional() @ValidateNested() @Type(() => ClockRuleFile) registration?: ClockRuleFile;
  @IsOptional() @ValidateNested() @Type(() => ClockRuleFile) moderation?: ClockRuleFile;
  @IsOptional() @ValidateNested() @Type(() => ClockRuleFile) first_reaction?: ClockRuleFile;
  @IsOptional() @ValidateNested() @Type(() => ClockRuleFile) interim_answer?: ClockRuleFile;
  @IsOptional() @ValidateNested() @Type(() => ClockRuleFile) redirect?: ClockRuleFile;
  @IsOptional() @ValidateNested() @Type(() => ClockRuleFile) final_answer?: ClockRuleFile;
}

class PolicyMatchFile {
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: (typeof CHANNELS)[number];

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  categories?: string[];

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  subcategory?: string;

  @IsOptional()
  @IsIn(IMPORTANCES)
  importance?: (typeof IMPORTANCES)[number];
}

class ExtensionRulesFile {
  @IsInt()
  @Min(0)
  max!: number;

  @ValidateNested()
  @Type(() => DurationFile)
  maxTerm!: DurationFile;

  @IsIn(['head', 'coordinator'])
  approvedBy!: 'head' | 'coordinator';

  @IsBoolean()
  notifyApplicant!: boolean;
}

class RedirectRulesFile {
  @IsInt()
  @Min(0)
  max!: number;

  @IsIn(['continue', 'restart'])
  clocks!: 'continue' | 'restart';
}

class SlaPolicyFile {
  @Matches(ID, { message: 'id must be lower-case latin letters, digits and hyphens' })
  id!: string;

  @IsString()
  @IsNotEmpty()
  title!: string;

  /** Another policy whose rules this one takes, overriding what it states itself. */
  @IsOptional()
  @IsString()
  extends?: string;

  @ValidateNested()
  @Type(() => PolicyMatchFile)
  match!: PolicyMatchFile;

  @IsOptional()
  @ValidateNested()
  @Type(() => ClockRulesFile)
  clocks?: ClockRulesFile;

  @IsOptional()
  @ValidateNested()
  @Type(() => ClockRulesFile)
  afterInterimAnswer?: ClockRulesFile;

  @IsOptional()
  @ValidateNested()
  @Type(() => ClockRulesFile)
  reconsideration?: ClockRulesFile;

  @IsOptional()
  @IsArray()
  @IsIn(MESSAGE_STATUSES, { each: true })
  pausedIn?: MessageStatus[];

  @IsOptional()
  @ValidateNested()
  @Type(() => ExtensionRulesFile)
  extensions?: ExtensionRulesFile;

  @IsOptional()
  @ValidateNested()
  @Type(() => RedirectRulesFile)
  redirects?: RedirectRulesFile;
}

export class SlaPoliciesFile {
  @IsOptional()
  @IsString()
  $comment?: string;

  /** Fractions of a clock at which at-risk warnings are raised. */
  @IsArray()
  @ArrayUnique()
  @IsNumber({}, { each: true })
  @Min(0.01, { each: true })
  @Max(0.99, { each: true })
  warnAt!: number[];

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SlaPolicyFile)
  policies!: SlaPolicyFile[];
}

class MeasureTypeFile {
  @Matches(/^[a-z][a-z_]*$/, { message: 'code must be lower-case latin letters and underscores' })
  code!: string;

  @IsString()
  @IsNotEmpty()
  title!: string;
}

class MeasuresFile {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MeasureTypeFile)
  labour!: MeasureTypeFile[];

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MeasureTypeFile)
  civil_service!: MeasureTypeFile[];
}

class DisciplineLimitsFile {
  @IsInt() @Min(1) @Max(30) explanationWorkingDays!: number;
  @IsInt() @Min(1) @Max(24) orderMonthsFromDiscovery!: number;
  @IsInt() @Min(1) @Max(60) orderMonthsFromOffence!: number;
  @IsInt() @Min(1) @Max(60) orderMonthsFromOffenceAudit!: number;

  @ValidateNested()
  @Type(() => DurationFile)
  acknowledgement!: DurationFile;
}

class LimitsByEmploymentFile {
  @ValidateNested() @Type(() => DisciplineLimitsFile) labour!: DisciplineLimitsFile;
  @ValidateNested() @Type(() => DisciplineLimitsFile) civil_service!: DisciplineLimitsFile;
}

/** Disciplinary measures and the limits of ТК ст. 193 / 79-ФЗ ст. 58, per employment. */
export class DisciplineFile {
  @IsOptional()
  @IsString()
  $comment?: string;

  @IsInt() @Min(0) @Max(60) warnDaysBefore!: number;

  @ValidateNested()
  @Type(() => LimitsByEmploymentFile)
  limits!: LimitsByEmploymentFile;

  @ValidateNested()
  @Type(() => MeasuresFile)
  measures!: MeasuresFile;
}
