import { AsOfQueries, getSpokesperson, type AsOf, type SpokespersonProfile } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE } from '../tokens.js';
import { NotFoundError } from './not-found.error.js';
import type { PageRequest } from './paging.js';

export class GetSpokespersonQuery extends Query<SpokespersonProfile> {
  constructor(
    readonly id: string,
    readonly page: PageRequest,
    /** Answer as the archive stood then, from the log. */
    readonly asOf?: AsOf,
  ) {
    super();
  }
}

@QueryHandler(GetSpokespersonQuery)
export class GetSpokespersonHandler implements IQueryHandler<GetSpokespersonQuery> {
  constructor(
    @Inject(READ_STORE) private readonly db: ReadStore,
    private readonly asOfQueries: AsOfQueries,
  ) {}

  async execute({ id, page, asOf }: GetSpokespersonQuery): Promise<SpokespersonProfile> {
    const profile = asOf ? await this.asOfQueries.spokesperson(id, asOf, page) : await getSpokesperson(this.db, id, page);
    if (!profile) throw new NotFoundError('spokesperson', id);
    return profile;
  }
}
