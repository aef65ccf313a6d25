// Secrets of users and organizations (table `secrets`, from the migration list).

/** `secrets` row (the columns the secrets endpoints read). */
export interface SecretRow {
  name: string;
  value: string;
  created_at: number;
}
