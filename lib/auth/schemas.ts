/** Input schemas for the sign-in form (parsed in the server action before anything else). */
import { z } from 'zod';

export const signInInputSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ message: 'Enter a valid email address.' })),
  password: z.string().min(1, 'Enter your password.'),
});

export type SignInInput = z.infer<typeof signInInputSchema>;
