// /admin/events/:id/invite: staff prepare an "invitation campaign" for one event: the audience (lists, optionally a
// segment, as the campaign settings choose them), the subject ("Invitation : <titre>" to start with) and an intro.
// The post creates a draft newsletter [title, intro, the event's card] and goes to its page, where staff preview,
// test and schedule it like every other campaign; each recipient's card carries their own one-click registration link.
// Drafts, cancelled and past events are refused with a French sentence. The form carries a one-time key: posted
// twice (a double click, a resent post), it makes one draft and both posts land on it.
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CampaignFieldError } from '~/components/campaign-settings-form.tsx'
import { CsrfInput } from '~/components/csrf-input.tsx'
import { FormErrors } from '~/components/form-errors.tsx'
import { RequiredMark } from '~/components/event-public-fields.tsx'
import { campaignFormChoices } from '~/models/campaign.server.ts'
import {
  createInvitationCampaign,
  eventForInvitationCampaign,
  InvitationCampaignError,
  invitationCampaignSchema,
  invitationRequestKey,
  type InvitationCampaignFields,
  type InvitationCampaignInput,
} from '~/models/event-invitation.server.ts'
import { requireStaff } from '~/utils/auth.server.ts'
import { i18next } from '~/utils/i18n.server.ts'
import { mergeFieldNames } from '#emails/campaign/blocks.ts'

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `Invitation · ${loaded?.event.title ?? ''} · Relais` }]

async function eventOr404(request: Request, id: string | undefined) {
  const event = id && /^\d{1,10}$/.test(id) ? await eventForInvitationCampaign(Number(id)) : null
  if (event) return event
  const t = await i18next.getFixedT(request)
  throw new Response(t('eventInvitation.staff.notFound'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request)
  const event = await eventOr404(request, params.id)
  const [choices, t] = await Promise.all([campaignFormChoices(), i18next.getFixedT(request)])
  return {
    event: { id: event.id, title: event.title, refusal: event.refusal },
    lists: choices.lists,
    segments: choices.segments,
    defaultSubject: t('eventInvitation.staff.subjectDefault', { title: event.title }),
    requestKey: invitationRequestKey(),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request)
  const event = await eventOr404(request, params.id)
  const submission = parseWithZod(await request.formData(), { schema: invitationCampaignSchema })
  const reply = (formErrors?: string[]) => data({ result: submission.reply({ formErrors }) as SubmissionResult<string[]> }, { status: 400 })
  if (event.refusal) return reply([`eventInvitation.staff.refused.${event.refusal}`])
  if (submission.status !== 'success') return reply()
  try {
    const campaignId = await createInvitationCampaign(event.id, submission.value, staff)
    return redirect(`/admin/campaigns/${campaignId}`, 303)
  } catch (error) {
    if (error instanceof InvitationCampaignError) return reply([error.messageKey])
    throw error
  }
}

export default function EventInvitePage() {
  const { event, lists, segments, defaultSubject, requestKey } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation()
  const [form, fields] = useForm<InvitationCampaignFields, InvitationCampaignInput>({ id: 'invitation-campaign', lastResult: actionData?.result, shouldValidate: 'onSubmit' })
  const initial = (form.initialValue ?? {}) as Record<string, unknown>
  const chosenLists = new Set(([] as unknown[]).concat(initial.listIds ?? []).map(String))
  const described = (...ids: Array<string | false>) => ids.filter(Boolean).join(' ') || undefined
  return (
    <>
      <p>
        <Link to={`/admin/events/${event.id}`}>{t('eventInvitation.staff.back')}</Link>
      </p>
      <h1>{t('eventInvitation.staff.title')}</h1>
      <p>{t('eventInvitation.staff.intro', { title: event.title })}</p>
      {event.refusal ? (
        <div className="error-summary" role="alert">
          <p>{t(`eventInvitation.staff.refused.${event.refusal}`)}</p>
        </div>
      ) : (
        <>
          <FormErrors id={form.errorId} errors={form.errors} />
          <Form method="post" className="stack" {...getFormProps(form)}>
            <CsrfInput />
            <input type="hidden" name="requestKey" value={requestKey} />
            <p>{t('eventInvitation.staff.required')}</p>
            <fieldset aria-describedby={described('invite-lists-hint', Boolean(fields.listIds.errors) && fields.listIds.errorId)}>
              <legend>
                {t('eventInvitation.staff.lists')}
                <RequiredMark />
              </legend>
              <p id="invite-lists-hint" className="hint">
                {t('eventInvitation.staff.listsHint')}
              </p>
              {lists.length === 0 ? <p>{t('eventInvitation.staff.noLists')}</p> : null}
              {lists.map((list) => (
                <div key={list.id}>
                  <input type="checkbox" id={`invite-list-${list.id}`} name="listIds" value={list.id} defaultChecked={chosenLists.has(String(list.id))} />
                  <label htmlFor={`invite-list-${list.id}`}>{list.name}</label>
                </div>
              ))}
              <CampaignFieldError id={fields.listIds.errorId} errors={fields.listIds.errors} />
            </fieldset>
            <div>
              <label htmlFor="invite-segment">{t('eventInvitation.staff.segment')}</label>
              <p id="invite-segment-hint" className="hint">
                {t('eventInvitation.staff.segmentHint')}
              </p>
              <select
                id="invite-segment"
                name="segmentId"
                defaultValue={typeof initial.segmentId === 'string' ? initial.segmentId : ''}
                aria-describedby={described('invite-segment-hint', Boolean(fields.segmentId.errors) && fields.segmentId.errorId)}
              >
                <option value="">{t('eventInvitation.staff.noSegment')}</option>
                {segments.map((segment) => (
                  <option key={segment.id} value={segment.id}>
                    {segment.name}
                  </option>
                ))}
              </select>
              <CampaignFieldError id={fields.segmentId.errorId} errors={fields.segmentId.errors} />
            </div>
            <div>
              <label htmlFor="invite-subject">
                {t('eventInvitation.staff.subject')}
                <RequiredMark />
              </label>
              <p id="invite-subject-hint" className="hint">
                {t('campaigns.form.mergeHint', { fields: mergeFieldNames.join(', ') })}
              </p>
              <input
                id="invite-subject"
                name="subject"
                type="text"
                required
                aria-required
                maxLength={200}
                defaultValue={typeof initial.subject === 'string' ? initial.subject : defaultSubject}
                aria-invalid={fields.subject.errors ? true : undefined}
                aria-describedby={described('invite-subject-hint', Boolean(fields.subject.errors) && fields.subject.errorId)}
              />
              <CampaignFieldError id={fields.subject.errorId} errors={fields.subject.errors} />
            </div>
            <div>
              <label htmlFor="invite-intro">{t('eventInvitation.staff.introText')}</label>
              <p id="invite-intro-hint" className="hint">
                {t('eventInvitation.staff.introHint')}
              </p>
              <textarea
                id="invite-intro"
                name="intro"
                rows={6}
                maxLength={5000}
                defaultValue={typeof initial.intro === 'string' ? initial.intro : ''}
                aria-invalid={fields.intro.errors ? true : undefined}
                aria-describedby={described('invite-intro-hint', Boolean(fields.intro.errors) && fields.intro.errorId)}
              />
              <CampaignFieldError id={fields.intro.errorId} errors={fields.intro.errors} />
            </div>
            <p>
              <button type="submit">{t('eventInvitation.staff.submit')}</button>
            </p>
          </Form>
        </>
      )}
    </>
  )
}
