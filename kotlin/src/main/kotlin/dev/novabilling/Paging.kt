// Pagination as Flows, over core's auto-pagination and cursors.
package dev.novabilling

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/** Every remaining customer, fetching pages as it goes (the core decides when to stop). */
fun CustomerPager.asFlow(): Flow<Customer> = flow {
    use { pager ->
        while (true) {
            emit(pager.next() ?: break)
        }
    }
}

/** Every customer matching [params], page after page. */
fun Customers.listAllFlow(params: ListParams? = null, options: RequestOptions? = null): Flow<Customer> =
    listAll(params, options).asFlow()

/** Every unresolved (imported, not yet bound) customer, page after page. */
fun Customers.listUnresolvedFlow(params: PageParams? = null, options: RequestOptions? = null): Flow<Customer> =
    listUnresolvedAll(params, options).asFlow()

/** The page after this one, on its listing's route and filters (core's cursor), or null after the last. */
suspend fun Customers.nextPage(page: CustomerPage, options: RequestOptions? = null): CustomerPage? =
    page.nextCursor?.let { page(it, options) }
