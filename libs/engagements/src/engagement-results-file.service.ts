import { Injectable } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import { ENGAGEMENT_KIND_TITLES } from '@cur/domain';
import { EngagementCommentRepository, EngagementRepository } from '@cur/persistence';
import { Clock, Principal } from '@cur/platform';
import { EngagementsService } from './engagements.service';
import type { ResultFileInput } from './engagement-results-file';

/** What an engagement's results file is made of, read with the same access rule as `GET /results`. */
@Injectable()
export class EngagementResultsFileService {
  constructor(
    private readonly service: EngagementsService,
    private readonly engagements: EngagementRepository,
    private readonly comments: EngagementCommentRepository,
    private readonly region: RegionCatalog,
    private readonly clock: Clock,
  ) {}

  async input(id: string, by: Principal): Promise<ResultFileInput> {
    // Refuses (404) what this user may not read, before anything else is read.
    const results = await this.service.results(id, by);
    const row = (await this.engagements.find(id))!;
    const textQuestions = row.questions.filter((q) => q.type === 'text').map((q) => q.id);
    return {
      title: row.title,
      kindTitle: ENGAGEMENT_KIND_TITLES[row.kind],
      dataAsOf: this.region.zone.format(this.clock.now()),
      results,
      questions: row.questions,
      texts: await this.comments.textAnswers(id, textQuestions),
    };
  }
}
