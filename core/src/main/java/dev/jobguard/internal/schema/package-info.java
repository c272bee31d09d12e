/**
 * Jobguard's own tables: {@link dev.jobguard.internal.schema.StoreSchema} checks that the state store's or the change
 * journal's tables exist, creates them from their DDL resource when allowed and adds the columns an older table lacks;
 * it fails with {@link dev.jobguard.internal.schema.SchemaException}, which its owner turns into its own exception.
 * Nothing here knows the API. Internal to jobguard: not API, it may change in any release.
 */
@NullMarked
package dev.jobguard.internal.schema;

import org.jspecify.annotations.NullMarked;
