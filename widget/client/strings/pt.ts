import type { ClientStrings } from './index.ts';

// Portuguese: você throughout; no adjective that agrees with the reader's gender.
const pt: ClientStrings = {
  title: 'Como foi a sessão de hoje?',
  shown: 'A sessão terminou. Um breve cartão de avaliação foi aberto.',
  intro: 'Avalie cada item de 0 a 10: toque na linha ou deslize o dedo sobre ela.',
  introKeys:
    'Avalie cada item de 0 a 10: clique na linha ou arraste, ou use as setas (com Shift para décimos) ou digite um número.',
  privacy:
    'Só quem conduz sua terapia vê suas respostas e as usa para ajustar o trabalho em conjunto. Os relatórios para o serviço mostram apenas números de grupo anônimos, nunca os seus.',
  notSet: 'Sem valor',
  missing: 'Falta avaliar: ',
  submit: 'Enviar avaliação',
  skip: 'Pular avaliação',
  loading: 'Carregando…',
  thanks: 'Agradecemos sua opinião.',
  thanksDeclined: 'Agradecemos. Nenhuma avaliação desta sessão será compartilhada.',
  sending: 'Enviando…',
  queued: 'Salva neste dispositivo; será enviada quando você estiver on-line.',
  delivered: 'Enviada para quem conduz sua terapia.',
  stored: 'Salva. Ela aparecerá quando o resumo da sessão for aberto.',
  failed: 'Desculpe, não foi possível salvar.',
  unsaved: 'Ainda não foi enviado nem salvo neste dispositivo. Mantenha esta página aberta.',
  kept: 'Sua resposta anterior para esta sessão foi mantida; esta não foi salva.',
  erased: 'Não salvo: seus registros de avaliação aqui foram apagados.',
  waitContext: 'As perguntas aparecerão quando você estiver online.',
  formFailed: 'Desculpe, não foi possível carregar as perguntas.',
  skipped: 'Sua escolha foi salva.',
  undo: 'Avaliar mesmo assim',
  close: 'Fechar',
  valueOf: '{v} de {max}',
  ends: '{min}: {low}. {max}: {high}.',
};
export default pt;
