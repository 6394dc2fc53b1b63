// Money as exact decimals: the records carry decimal strings.
package dev.novabilling

import java.math.BigDecimal

/** `totalSpent` as an exact decimal. */
val Customer.totalSpentDecimal: BigDecimal get() = BigDecimal(totalSpent)

/** `amount` as an exact decimal. */
val Invoice.amountDecimal: BigDecimal get() = BigDecimal(amount)

/** An invoice body with the amount as a decimal (sent exactly). */
fun InvoiceCreate(customerId: String, amount: BigDecimal, currency: String? = null, status: String? = null) =
    InvoiceCreate(customerId = customerId, amount = amount.toPlainString(), currency = currency, status = status)
