import { search, type SearchResult } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE } from '../tokens.js';
import type { PageRequest } from './paging.js';

export class SearchQuery extends Query<SearchResult> {
  constructor(
    readonly text: string,
    readonly page: PageRequest,
  ) {
    super();
  }
}

@QueryHandler(SearchQuery)
export class SearchHandler implements IQueryHandler<SearchQuery> {
  constructor(@Inject(READ_STORE) private readonly db: ReadStore) {}

  execute({ text, page }: SearchQuery): Promise<SearchResult> {
    return search(this.db, text, page);
  }
}
