// Sender identities (admins only): the From name and address of newsletters, their reply-to, and the sending rates
// per second and per hour the pipeline keeps to — operator settings kept visible here rather than buried in code.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { ActionOutcome, FieldError, FormErrors } from '~/components/form-errors.tsx'
import { senderIdentitySchema, type SenderIdentityInput } from '~/models/campaign-schema.ts'
import { listSenderIdentities, saveSenderIdentity, SenderIdentityError } from '~/models/sender-identity.server.ts'
import { requireAdmin } from '~/utils/auth.server.ts'

export const meta: MetaFunction = () => [{ title: 'Expéditeurs · Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request)
  const identities = await listSenderIdentities()
  return {
    identities: identities.map((identity) => ({
      id: identity.id,
      name: identity.name,
      email: identity.email,
      replyTo: identity.replyTo ?? '',
      ratePerSecond: identity.ratePerSecond,
      ratePerHour: identity.ratePerHour,
      isDefault: identity.isDefault,
      campaigns: identity._count.campaigns,
    })),
  }
}

const targetSchema = z.object({ senderId: z.union([z.literal('new'), z.coerce.number().int().positive().max(2_147_483_647)]) })

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireAdmin(request)
  const formData = await request.formData()
  const target = targetSchema.safeParse({ senderId: formData.get('senderId') })
  if (!target.success) return data({ formId: null, result: undefined, error: 'campaigns.senders.errors.notFound', notice: undefined }, { status: 400 })
  const formId = `sender-${target.data.senderId}`
  const submission = parseWithZod(formData, { schema: senderIdentitySchema })
  if (submission.status !== 'success') return data({ formId, result: submission.reply(), error: undefined, notice: undefined }, { status: 400 })
  try {
    await saveSenderIdentity(target.data.senderId === 'new' ? null : target.data.senderId, submission.value, staff)
  } catch (error) {
    if (!(error instanceof SenderIdentityError)) throw error
    const reply = error.field ? submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) : submission.reply({ formErrors: [error.messageKey] })
    return data({ formId, result: reply, error: undefined, notice: undefined }, { status: 400 })
  }
  return { formId, result: target.data.senderId === 'new' ? submission.reply({ resetForm: true }) : submission.reply(), error: undefined, notice: 'campaigns.senders.saved' }
}

/** What the form holds: text, as the browser sends it (the schema coerces the numbers). */
type SenderFormValues = Partial<Record<'name' | 'email' | 'replyTo' | 'ratePerSecond' | 'ratePerHour' | 'isDefault', string>>

type Identity = ReturnType<typeof useLoaderData<typeof loader>>['identities'][number]

function SenderForm({ formId, senderId, defaults, lastResult, submitLabel }: { formId: string; senderId: string; defaults?: Identity; lastResult?: SubmissionResult<string[]>; submitLabel: string }) {
  const { t } = useTranslation()
  const [form, fields] = useForm<SenderFormValues, SenderIdentityInput>({
    id: formId,
    lastResult,
    constraint: getZodConstraint(senderIdentitySchema),
    shouldValidate: 'onBlur',
    defaultValue: defaults
      ? { name: defaults.name, email: defaults.email, replyTo: defaults.replyTo, ratePerSecond: String(defaults.ratePerSecond), ratePerHour: String(defaults.ratePerHour), isDefault: defaults.isDefault ? 'on' : undefined }
      : { ratePerSecond: '20', ratePerHour: '50000' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: senderIdentitySchema }),
  })
  const input = (name: 'name' | 'email' | 'replyTo' | 'ratePerSecond' | 'ratePerHour', type: 'text' | 'email' | 'number') => {
    const field = fields[name]
    return (
      <div>
        <label htmlFor={field.id}>{t(`campaigns.senders.fields.${name}`)}</label>
        <input {...getInputProps(field, { type })} aria-describedby={field.errors ? field.errorId : undefined} />
        <FieldError id={field.errorId} errors={field.errors} />
      </div>
    )
  }
  return (
    <Form method="post" className="admin-filters" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="senderId" value={senderId} />
      <FormErrors id={form.errorId} errors={form.errors} />
      {input('name', 'text')}
      {input('email', 'email')}
      {input('replyTo', 'email')}
      {input('ratePerSecond', 'number')}
      {input('ratePerHour', 'number')}
      <div>
        <input {...getInputProps(fields.isDefault, { type: 'checkbox' })} />
        <label htmlFor={fields.isDefault.id}>{t('campaigns.senders.fields.isDefault')}</label>
      </div>
      <button type="submit">{submitLabel}</button>
    </Form>
  )
}

export default function SendersPage() {
  const { identities } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const resultFor = (formId: string) => (actionData?.formId === formId ? actionData.result : undefined)
  return (
    <>
      <p>
        <Link to="/admin/campaigns">{t('campaigns.back')}</Link>
      </p>
      <h1>{t('campaigns.senders.title')}</h1>
      <p>{t('campaigns.senders.intro')}</p>
      <ActionOutcome notice={actionData?.notice} error={actionData?.error} />
      {identities.length === 0 ? <p>{t('campaigns.senders.empty')}</p> : null}
      {identities.map((identity) => (
        <section key={identity.id} aria-labelledby={`sender-${identity.id}-title`}>
          <h2 id={`sender-${identity.id}-title`}>
            {`${identity.name} <${identity.email}>`} {identity.isDefault ? `(${t('campaigns.senders.default')})` : null}
          </h2>
          <p className="hint">{t('campaigns.senders.usedBy', { count: identity.campaigns })}</p>
          <SenderForm formId={`sender-${identity.id}`} senderId={String(identity.id)} defaults={identity} lastResult={resultFor(`sender-${identity.id}`)} submitLabel={t('campaigns.senders.save')} />
        </section>
      ))}
      <section aria-labelledby="sender-new-title">
        <h2 id="sender-new-title">{t('campaigns.senders.newTitle')}</h2>
        <SenderForm formId="sender-new" senderId="new" lastResult={resultFor('sender-new')} submitLabel={t('campaigns.senders.create')} />
      </section>
    </>
  )
}
