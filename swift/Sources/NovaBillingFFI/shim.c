/* SwiftPM wants one source file in a C target; the declarations are in
   include/NovaBillingFFI.h (generated) and the code in libnovabilling_uniffi. */
