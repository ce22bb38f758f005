import { getSpokesperson, type SpokespersonProfile } from '@archive/projections';
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
  ) {
    super();
  }
}

@QueryHandler(GetSpokespersonQuery)
export class GetSpokespersonHandler implements IQueryHandler<GetSpokespersonQuery> {
  constructor(@Inject(READ_STORE) private readonly db: ReadStore) {}

  async execute({ id, page }: GetSpokespersonQuery): Promise<SpokespersonProfile> {
    const profile = await getSpokesperson(this.db, id, page);
    if (!profile) throw new NotFoundError('spokesperson', id);
    return profile;
  }
}
